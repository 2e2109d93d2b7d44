# From an image to every region in one apply: register an ECS custom image (built by
# your image pipeline, e.g. an alicloud_image resource) as an E-HPC Instant application,
# then copy it to other regions. The application ID is known only after AddImage, so the
# plan shows it as "(known after apply)"; ehpc_app_sync runs once it exists. Destroy
# removes the sync first (copies stay, the API cannot remove them), then the application.
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

variable "image_id" {
  type        = string
  description = "The ECS custom image to register, e.g. alicloud_image.solver.id."
  default     = "m-bp1akkkr1rkxtb"
}

resource "ehpc_app" "solver" {
  name    = "solver"
  version = "v1.0"

  vm_image {
    image_id = var.image_id
  }
}

resource "ehpc_app_sync" "solver" {
  app_id            = ehpc_app.solver.app_id
  target_region_ids = ["all"]
}

output "copies" {
  value = ehpc_app_sync.solver.copies
}
