# The import ID is the app ID; target_region_ids starts empty (null) and the next
# apply synchronizes the regions in your configuration.
terraform import ehpc_app_sync.example ci-vm-rYfypJKwlN9Y
