# A named profile of the aliyun CLI (~/.aliyun/config.json, created by `aliyun configure`).
# The profile's region_id is used when region is not set here or in the environment.
terraform {
  required_providers {
    ehpc = {
      source = "terraform.local/ehpc/ehpc"
    }
  }
}

provider "ehpc" {
  profile                 = "terraform"
  shared_credentials_file = pathexpand("~/.aliyun/config.json")
}

variable "app_id" {
  description = "The E-HPC Instant app to synchronize."
  type        = string
}

resource "ehpc_app_sync" "this" {
  app_id            = var.app_id
  target_region_ids = ["cn-shanghai"]
}

