# What makes `make rollback FUNCTION=<zip function>` stick against the next apply.
#
# A ZIP rollback moves alias "live" to an older published version; the function's code stays
# what the checkout's artifact holds. Left alone, the next apply would move the alias back to
# the newest version, i.e. back to the code that was rolled back. So the rollback first writes a
# pin to the function's SSM parameter below: the version the alias stays on, and the code
# (base64 SHA-256) that was live when it was rolled back. While the artifact to deploy is still
# that code, Terraform keeps the alias on the pinned version; a new artifact (the fix) releases
# the pin and the alias follows the newest version again. `make rollback` to the newest
# version clears the pin.
locals {
  live_alias = "live"
  # The services whose code is a ZIP artifact; the scanner (an image) sticks by its image tag.
  zip_services = {
    for service, base in local.function_base_names : service => base if service != "scanner"
  }
  rollback_prefix = "/${var.name_prefix}${var.project}/${local.env}/rollback"
  # What a pin parameter holds until the first rollback, and again after a roll forward.
  no_pin = "(none)"
}

resource "aws_ssm_parameter" "live_version_pin" {
  #checkov:skip=CKV2_AWS_34:A version number and a code hash are not secrets; plain String lets the rollback tooling read it without KMS.
  for_each = local.zip_services

  name        = "${local.rollback_prefix}/${each.value}"
  description = "Version alias live of ${local.function_names[each.key]} is pinned to by make rollback; ${local.no_pin} follows the newest"
  type        = "String"
  value       = local.no_pin
  tags        = { Service = each.key }

  lifecycle {
    # make rollback writes the value (JSON {"version", "codeSha256"}) with put-parameter --overwrite.
    ignore_changes = [value]
  }
}

# Read at plan time, empty before the parameters exist (a first deploy pins nothing).
data "aws_ssm_parameters_by_path" "live_version_pins" {
  path = local.rollback_prefix
}

locals {
  recorded_pins = {
    for index, name in data.aws_ssm_parameters_by_path.live_version_pins.names :
    name => try(jsondecode(nonsensitive(data.aws_ssm_parameters_by_path.live_version_pins.values[index])), null)
  }
  # service => pinned version, only for a pin recorded against the artifact this apply deploys.
  pinned_versions = {
    for service, base in local.zip_services : service => tostring(local.recorded_pins["${local.rollback_prefix}/${base}"].version)
    if try(local.recorded_pins["${local.rollback_prefix}/${base}"].codeSha256 == local.manifest.functions[base].base64_sha256, false)
  }
}
