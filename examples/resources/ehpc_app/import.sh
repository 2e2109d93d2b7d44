# The import ID is the image ID (m-...) or the application ID (ci-vm-...). The registry
# password is never read back: password_wo stays unset in the imported state.
terraform import ehpc_app.solver m-bp1akkkr1rkxtb
