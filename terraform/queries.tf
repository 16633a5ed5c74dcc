# CloudWatch Logs Insights queries the runbook's first checks use (docs/RUNBOOK.md quotes this
# text; tests/terraform/test_runbook.py keeps the two equal). Handlers log one JSON object per
# line, so Logs Insights finds requestId, correlationId, level, route, status and duration_ms
# as fields; @requestId, @type and @initDuration come from Lambda's own START/REPORT lines.
# Saved queries cannot take parameters: paste the id over the placeholder before running.
locals {
  log_queries = {
    by-correlation-id = <<-EOT
      fields @timestamp, function, level, message, route, status, requestId
      | filter correlationId = "PASTE-CORRELATION-ID"
      | sort @timestamp asc
      | limit 500
    EOT
    by-request-id     = <<-EOT
      fields @timestamp, function, level, message, route, status, correlationId
      | filter requestId = "PASTE-REQUEST-ID" or @requestId = "PASTE-REQUEST-ID"
      | sort @timestamp asc
      | limit 500
    EOT
    recent-errors     = <<-EOT
      fields @timestamp, function, message, route, status, requestId, correlationId
      | filter level = "ERROR" or @message like /Task timed out|Runtime\.[A-Za-z]+Error/
      | sort @timestamp desc
      | limit 100
    EOT
    slowest-routes    = <<-EOT
      filter message = "request"
      | stats count(*) as requests, pct(duration_ms, 95) as p95_ms, max(duration_ms) as max_ms by function, route
      | sort p95_ms desc
    EOT
    cold-starts       = <<-EOT
      filter @type = "REPORT"
      | stats count(*) as invocations, sum(ispresent(@initDuration)) as cold_starts, pct(@duration, 95) as p95_ms, max(@maxMemoryUsed / 1048576) as max_memory_mb by @log
    EOT
  }
}

resource "aws_cloudwatch_query_definition" "this" {
  for_each = local.log_queries

  name            = "${local.name}/${each.key}"
  log_group_names = [for function in module.function : function.log_group_name]
  query_string    = each.value
}
