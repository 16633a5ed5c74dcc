# Every per-environment setting of the stack: the defaults once, then what each environment
# changes. The Terraform workspace picks the entry: `terraform workspace select -or-create dev`.
# Maps merge one level deep, so an override names only the keys it changes: prod's
# memory_mb = { scanner = 3008 } keeps the other functions' memory.
locals {
  environment_defaults = {
    log_level          = "INFO"
    log_retention_days = 30
    memory_mb          = { sessions = 256, realtime = 256, counter = 128, scanner = 2048 }
    timeout_seconds    = { sessions = 30, realtime = 60, counter = 30, scanner = 300 }
    # -1 is the unreserved pool; reservations apply only where var.lambda_concurrency_limit says
    # the account can afford them (guards.tf).
    reserved_concurrency         = { sessions = -1, realtime = -1, counter = -1, scanner = -1 }
    duration_p95_threshold_ms    = { sessions = 10000, realtime = 10000, counter = 10000, scanner = 120000 }
    error_rate_threshold_percent = 5
    http_5xx_threshold           = 5
    dynamodb_throttle_threshold  = 0
    http_throttling              = { rate_limit = 50, burst_limit = 100 }
    websocket_throttling         = { rate_limit = 20, burst_limit = 40 }
    ip_limit                     = 50
    global_limit                 = 1000
    scan_timeout_seconds         = 25
    # Batch scans (batch.tf): sites per invocation, invocations at once (the mapping's maximum
    # concurrency, 2 at least; it counts against the scanner's reserved concurrency), receives
    # before the dead-letter queue, one site's scan time, days kept, and the age of the oldest
    # queued site that raises an alarm.
    batch_scans = {
      batch_size                   = 1
      maximum_concurrency          = 5
      max_receive_count            = 3
      scan_timeout_seconds         = 120
      retention_days               = 30
      oldest_message_alarm_seconds = 3600
    }
    point_in_time_recovery = false
    deletion_protection    = false
    force_destroy          = true
  }

  environment_overrides = {
    dev = {
      log_level            = "DEBUG"
      log_retention_days   = 14
      http_5xx_threshold   = 10
      http_throttling      = { rate_limit = 20, burst_limit = 40 }
      websocket_throttling = { rate_limit = 10, burst_limit = 20 }
      batch_scans          = { maximum_concurrency = 2, retention_days = 7 }
    }
    staging = {
      reserved_concurrency = { sessions = 10, realtime = 10, counter = 5, scanner = 2 }
      batch_scans          = { maximum_concurrency = 2 }
    }
    prod = {
      log_retention_days     = 90
      memory_mb              = { scanner = 3008 }
      reserved_concurrency   = { sessions = 50, realtime = 50, counter = 20, scanner = 10 }
      http_5xx_threshold     = 1
      http_throttling        = { rate_limit = 200, burst_limit = 400 }
      websocket_throttling   = { rate_limit = 100, burst_limit = 200 }
      point_in_time_recovery = true
      deletion_protection    = true
      force_destroy          = false
      # 8 of the scanner's 10 reserved executions: POST /scan keeps 2 while a batch runs.
      batch_scans = { maximum_concurrency = 8, retention_days = 90 }
    }
  }

  allowed_workspaces = keys(local.environment_overrides)
  known_workspace    = contains(local.allowed_workspaces, terraform.workspace)

  # An unknown workspace still evaluates (with dev's values) so that the guard, not an index
  # error, is what stops the plan.
  overrides = local.environment_overrides[local.known_workspace ? terraform.workspace : "dev"]
  settings = {
    for key, default in local.environment_defaults :
    key => try(merge(default, lookup(local.overrides, key, {})), lookup(local.overrides, key, default))
  }
}
