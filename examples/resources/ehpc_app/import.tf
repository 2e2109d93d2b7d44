import {
  to = ehpc_app.solver
  id = "ci-vm-rYfypJKwlN9Y"
}
