import {
  to = ehpc_app_sync.example
  id = "ci-vm-rYfypJKwlN9Y"
}
