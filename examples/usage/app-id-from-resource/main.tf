# app_id produced by another resource: it is unknown at plan time and shown as
# "(known after apply)"; the synchronization runs once the app ID exists. Here
# terraform_data stands in for whatever builds the image.
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

resource "terraform_data" "image" {
  input = "ci-vm-rYfypJKwlN9Y"
}

resource "ehpc_app_sync" "image" {
  app_id            = terraform_data.image.output
  target_region_ids = ["cn-shanghai"]
}
