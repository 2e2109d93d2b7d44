# Keep copies of an E-HPC Instant app in two more regions. Adding a region later
# synchronizes only that region; removing one leaves its copy in place.
resource "ehpc_app_sync" "example" {
  app_id            = "ci-vm-rYfypJKwlN9Y"
  target_region_ids = ["cn-shanghai", "ap-southeast-1"]

  timeouts {
    create = "15m"
    update = "15m"
  }
}
