# CI pipelines without long-lived keys: the pipeline's OIDC token is exchanged for
# temporary credentials with STS AssumeRoleWithOIDC. See README.md for GitHub Actions.
terraform {
  required_providers {
    ehpc = {
      source = "terraform.local/ehpc/ehpc"
    }
  }
}

variable "role_arn" {
  description = "The RAM role the pipeline assumes, e.g. acs:ram::123456789012****:role/github-ehpc."
  type        = string
}

variable "oidc_provider_arn" {
  description = "The RAM OIDC identity provider, e.g. acs:ram::123456789012****:oidc-provider/github."
  type        = string
}

variable "oidc_token_file" {
  description = "File holding the pipeline's OIDC token (written by the workflow)."
  type        = string
}

variable "app_id" {
  description = "The E-HPC Instant app to synchronize."
  type        = string
}

provider "ehpc" {
  region = "cn-hangzhou"

  assume_role_with_oidc {
    role_arn          = var.role_arn
    oidc_provider_arn = var.oidc_provider_arn
    oidc_token_file   = var.oidc_token_file
    role_session_name = "github-actions"
  }
}

resource "ehpc_app_sync" "this" {
  app_id            = var.app_id
  target_region_ids = ["cn-shanghai"]
}

