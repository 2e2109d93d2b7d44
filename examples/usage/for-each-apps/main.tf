# Several apps, each with its own regions, from one map.
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

variable "apps" {
  description = "App ID => regions that should hold a copy."
  type        = map(set(string))
  default = {
    "ci-vm-rYfypJKwlN9Y" = ["cn-shanghai", "cn-beijing"]
    "ci-vm-gromacs2024a" = ["ap-southeast-1"]
  }
}

resource "ehpc_app_sync" "app" {
  for_each = var.apps

  app_id            = each.key
  target_region_ids = each.value
}

output "request_ids" {
  value = { for id, sync in ehpc_app_sync.app : id => sync.request_id }
}
