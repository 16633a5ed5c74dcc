# What an operator, a smoke test or a pipeline needs, grouped by concern.
output "http_api_url" {
  description = "Base URL of the HTTP API."
  value       = module.http_api.api_endpoint
}

output "websocket_url" {
  description = "wss:// URL the desktop page connects to (append ?sessionId=...)."
  value       = module.websocket_api.url
}

output "environment" {
  description = "Where this state lives and what it reserves: workspace, region, and reserved concurrent executions per function as applied (-1: unreserved; set lambda_concurrency_limit to reserve)."
  value = {
    name                 = local.env
    region               = var.region
    reserved_concurrency = local.reserved_concurrency
  }
}

output "names" {
  description = "Names of what was created: the upload bucket, tables by name suffix, functions by service folder, the alarm topic and the dashboard."
  value = {
    uploads_bucket  = module.uploads_bucket.name
    tables          = { for key, table in module.table : key => table.name }
    functions       = { for service, function in module.function : service => function.function_name }
    alarm_topic_arn = module.monitoring.topic_arn
    dashboard       = module.monitoring.dashboard_name
  }
}

output "scanner" {
  description = "The scanner's image repository, the SSM parameter holding the tag it runs (written by build.py push and make rollback) and that tag (\"(none)\" before the first push), and the SecureString holding its API key (set with aws ssm put-parameter --overwrite)."
  value = {
    repository_url      = module.ecr.repository_url
    image_tag_parameter = aws_ssm_parameter.scanner_image_tag.name
    image_tag           = local.scanner_image_tag
    api_key_parameter   = aws_ssm_parameter.scanner_api_key.name
  }
}
