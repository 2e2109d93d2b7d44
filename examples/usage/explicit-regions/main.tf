# Synchronize one app to an explicit list of regions.
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

resource "ehpc_app_sync" "solver" {
  app_id            = "ci-vm-rYfypJKwlN9Y"
  target_region_ids = ["cn-shanghai", "cn-beijing", "ap-southeast-1"]
}

output "request_id" {
  value = ehpc_app_sync.solver.request_id
}
