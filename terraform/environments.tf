# Every per-environment setting of the stack, in one map. The Terraform workspace picks the
# entry: `terraform workspace select -or-create dev|staging|prod`.
locals {
  environments = {
    dev = {
      log_level                    = "DEBUG"
      log_retention_days           = 14
      memory_mb                    = { sessions = 256, realtime = 256, counter = 128, scanner = 2048 }
      timeout_seconds              = { sessions = 30, realtime = 60, counter = 30, scanner = 300 }
      reserved_concurrency         = { sessions = -1, realtime = -1, counter = -1, scanner = -1 } # new accounts have only 10 concurrent executions to share
      duration_p95_threshold_ms    = { sessions = 10000, realtime = 10000, counter = 10000, scanner = 120000 }
      error_rate_threshold_percent = 5
      http_5xx_threshold           = 10
      dynamodb_throttle_threshold  = 0
      http_throttling              = { rate_limit = 20, burst_limit = 40 }
      websocket_throttling         = { rate_limit = 10, burst_limit = 20 }
      ip_limit                     = 50
      global_limit                 = 1000
      scan_timeout_seconds         = 25
      point_in_time_recovery       = false
      deletion_protection          = false
      force_destroy                = true
    }
    staging = {
      log_level                    = "INFO"
      log_retention_days           = 30
      memory_mb                    = { sessions = 256, realtime = 256, counter = 128, scanner = 2048 }
      timeout_seconds              = { sessions = 30, realtime = 60, counter = 30, scanner = 300 }
      reserved_concurrency         = { sessions = 10, realtime = 10, counter = 5, scanner = 2 }
      duration_p95_threshold_ms    = { sessions = 10000, realtime = 10000, counter = 10000, scanner = 120000 }
      error_rate_threshold_percent = 5
      http_5xx_threshold           = 5
      dynamodb_throttle_threshold  = 0
      http_throttling              = { rate_limit = 50, burst_limit = 100 }
      websocket_throttling         = { rate_limit = 20, burst_limit = 40 }
      ip_limit                     = 50
      global_limit                 = 1000
      scan_timeout_seconds         = 25
      point_in_time_recovery       = false
      deletion_protection          = false
      force_destroy                = true
    }
    prod = {
      log_level                    = "INFO"
      log_retention_days           = 90
      memory_mb                    = { sessions = 256, realtime = 256, counter = 128, scanner = 3008 }
      timeout_seconds              = { sessions = 30, realtime = 60, counter = 30, scanner = 300 }
      reserved_concurrency         = { sessions = 50, realtime = 50, counter = 20, scanner = 10 }
      duration_p95_threshold_ms    = { sessions = 10000, realtime = 10000, counter = 10000, scanner = 120000 }
      error_rate_threshold_percent = 5
      http_5xx_threshold           = 1
      dynamodb_throttle_threshold  = 0
      http_throttling              = { rate_limit = 200, burst_limit = 400 }
      websocket_throttling         = { rate_limit = 100, burst_limit = 200 }
      ip_limit                     = 50
      global_limit                 = 1000
      scan_timeout_seconds         = 25
      point_in_time_recovery       = true
      deletion_protection          = true
      force_destroy                = false
    }
  }

  allowed_workspaces = keys(local.environments)
  known_workspace    = contains(local.allowed_workspaces, terraform.workspace)

  # An unknown workspace still evaluates (with dev's values) so that the guard below, not an
  # index error, is what stops the plan.
  settings = local.environments[local.known_workspace ? terraform.workspace : "dev"]
}

# Stops `terraform plan` in any workspace that is not an environment (including `default`).
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
  }
}
