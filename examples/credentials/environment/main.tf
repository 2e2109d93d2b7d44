# Everything from the environment; the provider block can stay empty:
#   export ALIBABA_CLOUD_ACCESS_KEY_ID=...
#   export ALIBABA_CLOUD_ACCESS_KEY_SECRET=...
#   export ALIBABA_CLOUD_SECURITY_TOKEN=...   # only for STS credentials
#   export ALIBABA_CLOUD_REGION=cn-hangzhou
# The legacy ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY / ALICLOUD_REGION names work too.
terraform {
  required_providers {
    ehpc = {
      source = "terraform.local/ehpc/ehpc"
    }
  }
}

provider "ehpc" {}

variable "app_id" {
  description = "The E-HPC Instant app to synchronize."
  type        = string
}

resource "ehpc_app_sync" "this" {
  app_id            = var.app_id
  target_region_ids = ["cn-shanghai"]
}

