# Copy every application whose name matches a pattern to the same regions: apps that
# appear later are picked up by the next apply.
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

variable "name_pattern" {
  description = "Regular expression the application names must match."
  type        = string
  default     = "^gromacs"
}

variable "target_region_ids" {
  description = "Regions that should hold a copy of every matching application."
  type        = set(string)
  default     = ["cn-shanghai", "ap-southeast-1"]
}

data "ehpc_apps" "matching" {
  name_regex = var.name_pattern
}

resource "ehpc_app_sync" "matching" {
  # Keyed by app id: an app added or removed later changes only its own instance.
  for_each = toset(data.ehpc_apps.matching.ids)

  app_id            = each.key
  target_region_ids = var.target_region_ids
}

output "synchronized" {
  description = "App ID => name of every synchronized application."
  value       = { for app in data.ehpc_apps.matching.apps : app.app_id => app.name }
}
