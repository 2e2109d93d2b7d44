# "all" asks the service for every region that does not hold the app yet. Terraform
# stores ["all"] as written, so regions added to the service later are not synced
# automatically; replace the resource (terraform apply -replace=...) to pick them up.
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
