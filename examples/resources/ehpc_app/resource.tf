# Register an ECS custom image as an E-HPC Instant application. There is no update API:
# changing any argument replaces the application (RemoveImage, then AddImage).
resource "ehpc_app" "solver" {
  name        = "solver"
  version     = "v1.0"
  description = "CFD solver, built by the image pipeline"

  vm_image {
    image_id = "m-bp1akkkr1rkxtb"
  }

  timeouts {
    create = "10m"
    delete = "5m"
  }
}

# A container application. The registry password is write-only (Terraform or OpenTofu
# 1.11 or later): it is sent to AddImage and never stored in the plan or the state. Bump
# password_wo_version to register the application again with a new password.
variable "registry_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "ehpc_app" "web" {
  name = "web"

  container_image {
    registry_url    = "registry-vpc.cn-hangzhou.aliyuncs.com/ehpc_open/nginx:latest"
    is_acr_registry = true

    registry_credential {
      server              = "registry-vpc.cn-hangzhou.aliyuncs.com"
      user_name           = "deployer"
      password_wo         = var.registry_password
      password_wo_version = 1
    }
  }
}

# The application ID is what ehpc_app_sync takes.
output "solver_app_id" {
  value = ehpc_app.solver.app_id
}
