output "api_id" {
  description = "WebSocket API id."
  value       = aws_apigatewayv2_api.this.id
}

output "url" {
  description = "wss:// URL clients connect to (append ?sessionId=...)."
  value       = "wss://${local.host}/${var.stage.name}"
}

output "management_endpoint" {
  description = "https URL of the @connections management API, stage included: the function's WS_API_ENDPOINT."
  value       = "https://${local.host}/${var.stage.name}"
}

output "connections_arn" {
  description = "ARN pattern of this stage's connections, the only resource of execute-api:ManageConnections."
  # Spelled out (it equals execution_arn + path) so offline evaluation resolves it too.
  value = "arn:${var.arn_scope.partition}:execute-api:${var.arn_scope.region}:${var.arn_scope.account_id}:${aws_apigatewayv2_api.this.id}/${var.stage.name}/*/@connections/*"
}

output "execution_arn" {
  description = "Execution ARN of the API."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "stage_name" {
  description = "Stage name."
  value       = aws_apigatewayv2_stage.this.name
}
