# "all" asks the service for every other region that does not hold the app yet (never
# the app's own region). Terraform stores ["all"] as written. A copy that is later deleted
# or fails is repaired by sending that region explicitly, with a plan-time warning; regions
# added to the service later are not synced automatically: replace the resource
# (terraform apply -replace=...) to pick them up.
terraform {
  required_providers {
    ehpc = {
      source = "terraform.local/ehpc/ehpc"
    }
  }
}

provider "ehpc" {
  region = "cn-hangzhou"
}

resource "ehpc_app_sync" "everywhere" {
  app_id            = "ci-vm-rYfypJKwlN9Y"
  target_region_ids = ["all"]
}
