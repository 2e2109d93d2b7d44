# Quickstart: synchronize one E-HPC Instant app to a set of regions.
# `make demo` runs this against the local emulator; against Alibaba Cloud, leave
# `endpoint` unset and give your own app_id and credentials.

terraform {
  required_providers {
    ehpc = {
      source = "terraform.local/ehpc/ehpc"
    }
  }
}

provider "ehpc" {
  region     = var.region
  access_key = var.access_key
  secret_key = var.secret_key

  # null keeps the regional default (https://ehpcinstant.<region>.aliyuncs.com).
  endpoints {
    ehpcinstant = var.endpoint
  }
}

resource "ehpc_app_sync" "quickstart" {
  app_id            = var.app_id
  target_region_ids = var.target_region_ids
}
