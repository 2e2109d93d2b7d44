variable "app_id" {
  description = "The E-HPC Instant app (custom image) to synchronize, e.g. ci-vm-rYfypJKwlN9Y."
  type        = string
}

variable "target_region_ids" {
  description = "Regions that should hold a copy of the app; [\"all\"] means every region."
  type        = set(string)
  default     = ["cn-shanghai"]
}

variable "region" {
  description = "The region whose EhpcInstant endpoint receives the call (where the app lives)."
  type        = string
  default     = "cn-hangzhou"
}

variable "endpoint" {
  description = "EhpcInstant endpoint override, e.g. the emulator's http://127.0.0.1:PORT; null for Alibaba Cloud."
  type        = string
  default     = null
}

variable "access_key" {
  description = "AccessKey ID; null falls back to the credential chain (environment, profile, ...)."
  type        = string
  default     = null
}

variable "secret_key" {
  description = "AccessKey secret; null falls back to the credential chain."
  type        = string
  default     = null
  sensitive   = true
}
