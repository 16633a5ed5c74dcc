module "monitoring" {
  source = "./modules/monitoring"

  name           = local.name
  dashboard_name = "${local.name}${local.region_suffix}"
  region         = var.region
  alarm_emails   = var.alarm_email == null ? [] : [var.alarm_email]
  functions = {
    for service, name in local.function_names : service => {
      function_name             = name
      duration_p95_threshold_ms = local.settings.duration_p95_threshold_ms[service]
    }
  }
  error_rate_threshold_percent = local.settings.error_rate_threshold_percent
  http_api_id                  = module.http_api.api_id
  http_api_stage               = module.http_api.stage_name
  http_5xx_threshold           = local.settings.http_5xx_threshold
  table_names                  = [for table in module.table : table.name]
  dynamodb_throttle_threshold  = local.settings.dynamodb_throttle_threshold
  queues = {
    batch-scans = {
      queue_name                           = aws_sqs_queue.scans.name
      dead_letter_queue_name               = aws_sqs_queue.scans_dlq.name
      oldest_message_age_threshold_seconds = local.batch.oldest_message_alarm_seconds
    }
  }
}
