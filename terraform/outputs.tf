output "environment" {
  description = "Environment (workspace) of this state."
  value       = local.env
}

output "http_api_url" {
  description = "Base URL of the HTTP API."
  value       = module.http_api.api_endpoint
}

output "websocket_url" {
  description = "wss:// URL the desktop page connects to (append ?sessionId=...)."
  value       = module.websocket_api.url
}

output "uploads_bucket" {
  description = "Bucket receiving the phone uploads."
  value       = module.uploads_bucket.name
}

output "table_names" {
  description = "DynamoDB tables by role."
  value = {
    sessions    = module.sessions_table.name
    counters    = module.counters_table.name
    scan_cache  = module.scan_cache_table.name
    rate_limits = module.rate_limits_table.name
  }
}

output "function_names" {
  description = "Lambda function names by service folder."
  value = {
    sessions = module.sessions_function.function_name
    realtime = module.realtime_function.function_name
    counter  = module.counter_function.function_name
    scanner  = module.scanner_function.function_name
  }
}

output "scanner_repository_url" {
  description = "ECR repository the scanner image is pushed to."
  value       = module.ecr.repository_url
}

output "scanner_image_tag_parameter" {
  description = "SSM parameter holding the image tag the scanner runs (written by build.py push and make rollback)."
  value       = aws_ssm_parameter.scanner_image_tag.name
}

output "scanner_image_tag" {
  description = "Image tag the scanner runs, as read from the parameter."
  value       = local.scanner_image_tag
}

output "scanner_api_key_parameter" {
  description = "SSM SecureString holding the scanner's API key (set with aws ssm put-parameter --overwrite)."
  value       = aws_ssm_parameter.scanner_api_key.name
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies."
  value       = module.monitoring.topic_arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the stack."
  value       = module.monitoring.dashboard_name
}
