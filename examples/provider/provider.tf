terraform {
  required_providers {
    ehpc = {
      source = "terraform.local/ehpc/ehpc"
    }
  }
}

# Credentials come from the standard chain: ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY, which
# win over ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (as in the alicloud
# provider: unset a stale ALICLOUD_ACCESS_KEY), a profile in ~/.aliyun/config.json, an ECS
# RAM role, ...
provider "ehpc" {
  region = "cn-hangzhou"
}
