# WebSocket API whose lifecycle routes go to one function; the function pushes through @connections.
resource "aws_apigatewayv2_api" "this" {
  name                       = var.name
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
  tags                       = var.tags
}

# Both URLs come from the API's own endpoint (wss://<id>.execute-api.<region>.<dns suffix>), so
# they are right in every partition (amazonaws.com.cn in China) and behind any endpoint override.
locals {
  host = trimprefix(trimprefix(aws_apigatewayv2_api.this.api_endpoint, "wss://"), "https://")
}

resource "aws_apigatewayv2_integration" "lambda" {
  api_id             = aws_apigatewayv2_api.this.id
  integration_type   = "AWS_PROXY"
  integration_method = "POST"
  integration_uri    = var.function.invoke_arn
}

resource "aws_apigatewayv2_route" "this" {
  #checkov:skip=CKV_AWS_309:Clients connect with ?sessionId=, which the function validates against the sessions table on $connect; there are no AWS credentials on a browser.
  for_each = toset(var.route_keys)

  api_id    = aws_apigatewayv2_api.this.id
  route_key = each.value
  target    = "integrations/${aws_apigatewayv2_integration.lambda.id}"
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_158:Access logs hold no secrets (no IPs, no query strings); CloudWatch Logs encrypts them at rest already.
  #checkov:skip=CKV_AWS_338:Retention is a per-environment setting.
  count = var.stage.access_logs ? 1 : 0

  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.stage.log_retention_days
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "this" {
  #checkov:skip=CKV_AWS_76:Access logs are opt-in (var.stage.access_logs) because they need the account-wide API Gateway CloudWatch role; the realtime function logs every connect and disconnect.
  #checkov:skip=CKV2_AWS_51:Browsers open this WebSocket from a web page and cannot present client certificates; $connect validates the session id instead.
  api_id      = aws_apigatewayv2_api.this.id
  name        = var.stage.name
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = var.stage.throttling_rate_limit
    throttling_burst_limit = var.stage.throttling_burst_limit
  }

  # WebSocket (unlike HTTP) APIs can only log once the account-wide API Gateway CloudWatch role
  # is set, which a fresh account lacks and a per-environment stack should not own.
  dynamic "access_log_settings" {
    for_each = var.stage.access_logs ? [1] : []
    content {
      destination_arn = aws_cloudwatch_log_group.access[0].arn
      format = jsonencode({
        requestId          = "$context.requestId"
        requestTime        = "$context.requestTime"
        routeKey           = "$context.routeKey"
        eventType          = "$context.eventType"
        connectionId       = "$context.connectionId"
        status             = "$context.status"
        integrationLatency = "$context.integrationLatency"
        errorMessage       = "$context.error.message"
      })
    }
  }

  # Routes must exist before the stage's first automatic deployment.
  depends_on = [aws_apigatewayv2_route.this]

  tags = var.tags
}

resource "aws_lambda_permission" "invoke" {
  statement_id  = "AllowWebSocketApi-${var.name}"
  action        = "lambda:InvokeFunction"
  function_name = var.function.function_name
  qualifier     = var.function.qualifier
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/${var.stage.name}/*"
}
