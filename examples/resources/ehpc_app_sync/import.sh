# The import ID is the app ID. The import reads the regions holding a ready or pending
# copy into target_region_ids (null when there are none) and request_id starts empty, so a
# configuration listing those regions plans no change.
terraform import ehpc_app_sync.example ci-vm-rYfypJKwlN9Y
