# Keep copies of an E-HPC Instant app in two more regions. The apply waits until the
# copies are ready; adding a region later synchronizes only that region; removing one
# leaves its copy in place. A copy deleted or failed out of band shows in `copies`, and
# the next plan synchronizes that region again, with a warning saying why.
resource "ehpc_app_sync" "example" {
  app_id            = "ci-vm-rYfypJKwlN9Y"
  target_region_ids = ["cn-shanghai", "ap-southeast-1"]

  timeouts {
    create = "15m"
    update = "15m"
  }
}

# Each region's copy has its own image id, e.g. for instances launched in that region.
output "shanghai_image_id" {
  value = ehpc_app_sync.example.copies["cn-shanghai"].image_id
}
