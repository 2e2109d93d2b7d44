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
