# Every custom VM application of the provider's region whose name starts with "gromacs".
data "ehpc_apps" "gromacs" {
  name_regex     = "^gromacs"
  image_category = "Custom"
}

# Applications with exactly these names, in another region.
data "ehpc_apps" "pinned" {
  region = "cn-shanghai"
  names  = ["lammps", "openfoam"]
}

output "gromacs_app_ids" {
  # Sorted by app_id, so the list is stable from one plan to the next.
  value = data.ehpc_apps.gromacs.ids
}
