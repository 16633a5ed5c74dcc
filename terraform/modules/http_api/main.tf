# HTTP API (payload 2.0) with one Lambda proxy integration per function and exactly the given routes.
resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  protocol_type = "HTTP"

  # The one owner of CORS: API Gateway answers preflights itself and replaces any CORS
  # header a function sets, so the functions set none.
  cors_configuration {
    allow_origins  = var.cors_allowed_origins
    allow_methods  = distinct([for route_key in keys(var.routes) : split(" ", route_key)[0]])
    allow_headers  = var.cors_allowed_headers
    expose_headers = var.cors_exposed_headers
    max_age        = var.cors_max_age_seconds
  }

  tags = var.tags
}

resource "aws_apigatewayv2_integration" "this" {
  for_each = var.integrations

  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = each.value.invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = var.integration_timeout_ms
}

resource "aws_apigatewayv2_route" "this" {
  #checkov:skip=CKV_AWS_309:The routes are public by design (a phone scanning a QR code has no credentials); POST /scan checks its x-api-key in the function, and every route is rate limited.
  for_each = var.routes

  api_id    = aws_apigatewayv2_api.this.id
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.this[each.value].id}"
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_158:Access logs hold no secrets (no IPs, no query strings); CloudWatch Logs encrypts them at rest already.
  #checkov:skip=CKV_AWS_338:Retention is a per-environment setting.
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.stage.log_retention_days
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit    = var.stage.throttling_rate_limit
    throttling_burst_limit   = var.stage.throttling_burst_limit
    detailed_metrics_enabled = true
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    # Client IPs are deliberately left out: no log of the stack holds a client IP.
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTime"
      routeKey           = "$context.routeKey"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      integrationStatus  = "$context.integrationStatus"
      integrationLatency = "$context.integrationLatency"
      latency            = "$context.responseLatency"
      errorMessage       = "$context.error.message"
    })
  }

  tags = var.tags
}

resource "aws_lambda_permission" "invoke" {
  for_each = var.integrations

  statement_id  = "AllowHttpApi-${var.name}"
  action        = "lambda:InvokeFunction"
  function_name = each.value.function_name
  qualifier     = each.value.qualifier
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*"
}
