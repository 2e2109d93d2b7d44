# Static AccessKey pair from variables (e.g. TF_VAR_access_key / TF_VAR_secret_key).
# Prefer the environment or a profile: keys in .tf files end up in version control.
terraform {
  required_providers {
    ehpc = {
      source = "terraform.local/ehpc/ehpc"
    }
  }
}

variable "access_key" {
  type = string
}

variable "secret_key" {
  type      = string
  sensitive = true
}

variable "app_id" {
  description = "The E-HPC Instant app to synchronize."
  type        = string
}

provider "ehpc" {
  region     = "cn-hangzhou"
  access_key = var.access_key
  secret_key = var.secret_key
}

resource "ehpc_app_sync" "this" {
  app_id            = var.app_id
  target_region_ids = ["cn-shanghai"]
}

