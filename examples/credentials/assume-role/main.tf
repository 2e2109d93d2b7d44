# Base credentials (environment or profile) assume a RAM role through STS; the
# resulting temporary credentials sign every EhpcInstant call.
terraform {
  required_providers {
    ehpc = {
      source = "terraform.local/ehpc/ehpc"
    }
  }
}

variable "role_arn" {
  description = "e.g. acs:ram::123456789012****:role/ehpc-sync"
  type        = string
}

variable "app_id" {
  description = "The E-HPC Instant app to synchronize."
  type        = string
}

provider "ehpc" {
  region = "cn-hangzhou"

  assume_role {
    role_arn           = var.role_arn
    session_name       = "terraform-ehpc"
    session_expiration = 3600
  }
}

resource "ehpc_app_sync" "this" {
  app_id            = var.app_id
  target_region_ids = ["cn-shanghai"]
}

