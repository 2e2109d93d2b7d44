output "request_id" {
  description = "RequestId of the last SynchronizeApp call, for Alibaba Cloud support and the console."
  value       = ehpc_app_sync.quickstart.request_id
}

output "target_region_ids" {
  description = "The regions Terraform asked to hold the app."
  value       = ehpc_app_sync.quickstart.target_region_ids
}

output "copies" {
  description = "Each target region's copy: its own image id and its status, as GetImage reports them."
  value       = ehpc_app_sync.quickstart.copies
}
