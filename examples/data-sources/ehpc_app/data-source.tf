# One application: its image, status and the copies other regions hold.
data "ehpc_app" "gromacs" {
  app_id = "ci-vm-rYfypJKwlN9Y"
}

output "gromacs_copies" {
  # e.g. { "cn-shanghai" = { image_id = "m-...", status = "Available" } }
  value = data.ehpc_app.gromacs.copies
}
