# Everything that must stop `terraform plan` before anything is created: each refusal says what
# to do instead. The scanner's image guard lives in scanner.tf, beside what it checks.
locals {
  # Lambda always keeps this many of an account's concurrent executions unreserved.
  lambda_unreserved_minimum = 100
  # Reservations are opt-in: without the account's limit, every function stays unreserved.
  reserved_concurrency = {
    for service, reserved in local.settings.reserved_concurrency :
    service => var.lambda_concurrency_limit == null ? -1 : reserved
  }
  reserved_total = sum(concat([0], [for reserved in values(local.reserved_concurrency) : reserved if reserved > 0]))
  reservable     = var.lambda_concurrency_limit == null ? 0 : var.lambda_concurrency_limit - local.lambda_unreserved_minimum

  # Names AWS limits in length and form, checked for whatever name_prefix, project and region
  # make of them.
  name_checks = concat(
    [
      for name in [local.uploads_bucket_name, local.web_bucket_name, local.scan_results_bucket_name] : {
        what = "S3 bucket name"
        name = name
        max  = 63
        # lower-case letters, digits, dots and dashes, starting and ending with a letter or digit,
        # and none of the prefixes, suffixes and forms S3 reserves
        ok = alltrue([
          can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", name)),
          !can(regex("^(xn--|sthree-|amzn-s3-demo-)|(-s3alias|--ol-s3|\\.mrap|--x-s3|--table-s3)$|\\.\\.|^[0-9.]+$", name)),
        ])
      }
    ],
    [
      for name in values(local.role_names) : {
        what = "IAM role name"
        name = name
        max  = 64
        ok   = can(regex("^[A-Za-z0-9+=,.@_-]+$", name))
      }
    ],
    [
      for name in values(local.function_names) : {
        what = "Lambda function name"
        name = name
        max  = 64
        ok   = can(regex("^[A-Za-z0-9_-]+$", name))
      }
    ],
    [
      {
        what = "CloudFront origin access control name"
        name = local.web_bucket_name
        max  = 64
        ok   = true
      }
    ],
  )
  name_problems = [
    for check in local.name_checks :
    "${check.what} \"${check.name}\" (${length(check.name)} characters, at most ${check.max}${check.ok ? "" : "; not a form AWS accepts"})"
    if length(check.name) > check.max || !check.ok
  ]
}

# Stops `terraform plan` in any workspace that is not an environment (including `default`),
# and before any resource is created for a setting AWS would refuse halfway through an apply.
resource "terraform_data" "workspace_guard" {
  input = terraform.workspace

  lifecycle {
    precondition {
      condition     = local.known_workspace
      error_message = "Workspace \"${terraform.workspace}\" is not an environment of this stack. Allowed workspaces: ${join(", ", local.allowed_workspaces)}. Select one with: terraform workspace select -or-create dev"
    }

    precondition {
      condition     = local.settings.memory_mb.scanner >= 2048
      error_message = "The scanner runs Chromium and needs at least 2048 MB (memory_mb.scanner in environments.tf)."
    }

    precondition {
      condition     = local.reserved_total <= local.reservable
      error_message = "The reserved concurrency of ${local.env} (${local.reserved_total} executions) does not fit lambda_concurrency_limit = ${coalesce(var.lambda_concurrency_limit, 0)}: Lambda keeps ${local.lambda_unreserved_minimum} executions unreserved, so at most ${max(local.reservable, 0)} can be reserved. Request a higher quota (Service Quotas console, AWS Lambda, \"Concurrent executions\"; or aws service-quotas request-service-quota-increase --service-code lambda --quota-code L-B99A9384 --desired-value 1000), then set lambda_concurrency_limit to the new value; or leave lambda_concurrency_limit unset to reserve nothing."
    }

    precondition {
      condition     = length(local.name_problems) == 0
      error_message = "AWS would refuse these names: ${join("; ", local.name_problems)}. Shorten name_prefix or project (or deploy to a region with a shorter name)."
    }
  }
}
