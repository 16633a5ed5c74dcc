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
  description = "DynamoDB tables by name suffix (sessions, counters, scan-cache, rate-limits)."
  value       = { for key, table in module.table : key => table.name }
}

output "function_names" {
  description = "Lambda function names by service folder."
  value       = { for service, function in module.function : service => function.function_name }
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
  description = "Image tag the scanner runs, as read from the parameter (\"(none)\" before the first push)."
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

output "region" {
  description = "AWS region of the stack."
  value       = var.region
}

output "reserved_concurrency" {
  description = "Reserved concurrent executions per function as applied (-1: unreserved; set lambda_concurrency_limit to reserve)."
  value       = local.reserved_concurrency
}
