# The import ID is the image ID (m-...) or the application ID (ci-vm-...). The registry
# password is never read back: after the import, setting password_wo_version for the first
# time updates the state only; later changes of it replace the application.
terraform import ehpc_app.solver m-bp1akkkr1rkxtb
