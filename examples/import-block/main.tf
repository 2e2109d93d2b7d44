# Adopt an app that is already synchronized. Either write the resource yourself, or
# let Terraform write it:  terraform plan -generate-config-out=generated.tf
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

import {
  to = ehpc_app_sync.existing
  id = "ci-vm-rYfypJKwlN9Y"
}

resource "ehpc_app_sync" "existing" {
  app_id            = "ci-vm-rYfypJKwlN9Y"
  target_region_ids = ["cn-shanghai"]
}
