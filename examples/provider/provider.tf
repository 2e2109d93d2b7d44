terraform {
  required_providers {
    ehpc = {
      source = "terraform.local/ehpc/ehpc"
    }
  }
}

# Credentials come from the standard chain: ALIBABA_CLOUD_ACCESS_KEY_ID and
# ALIBABA_CLOUD_ACCESS_KEY_SECRET, a profile in ~/.aliyun/config.json, an ECS RAM role, ...
provider "ehpc" {
  region = "cn-hangzhou"
}
