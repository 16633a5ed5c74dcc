# One SNS topic for every alarm, the API and table alarms, and one dashboard of the stack.
resource "aws_sns_topic" "alarms" {
  #checkov:skip=CKV_AWS_26:CloudWatch alarms cannot publish to a topic encrypted with the AWS managed aws/sns key, and alarm messages carry only alarm names and metric values, no data worth a customer managed key.
  name = "${var.name}-alarms"
  tags = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_metric_alarm" "http_5xx" {
  alarm_name          = "${var.name}-http-api-5xx"
  alarm_description   = "The HTTP API returned more than ${var.http_5xx_threshold} 5xx responses in ${var.period_seconds} s."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5xx"
  dimensions          = { ApiId = var.http_api_id, Stage = var.http_api_stage }
  statistic           = "Sum"
  period              = var.period_seconds
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.http_5xx_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "dynamodb_throttles" {
  for_each = toset(var.table_names)

  alarm_name          = "${each.value}-throttled-requests"
  alarm_description   = "DynamoDB throttled reads or writes on ${each.value}."
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  threshold           = var.dynamodb_throttle_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "throttled"
    expression  = "reads + writes"
    label       = "Throttled requests"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { reads = "ReadThrottleEvents", writes = "WriteThrottleEvents" }
    content {
      id = metric_query.key
      metric {
        namespace   = "AWS/DynamoDB"
        metric_name = metric_query.value
        period      = var.period_seconds
        stat        = "Sum"
        dimensions  = { TableName = each.value }
      }
    }
  }

  tags = var.tags
}

locals {
  lambda_widgets = [
    for title, metric in {
      "Lambda invocations"       = { name = "Invocations", stat = "Sum" }
      "Lambda errors"            = { name = "Errors", stat = "Sum" }
      "Lambda p95 duration (ms)" = { name = "Duration", stat = "p95" }
      "Lambda throttles"         = { name = "Throttles", stat = "Sum" }
      } : {
      type   = "metric"
      width  = 12
      height = 6
      properties = {
        title   = title
        region  = var.region
        stat    = metric.stat
        period  = var.period_seconds
        view    = "timeSeries"
        metrics = [for function in var.functions : ["AWS/Lambda", metric.name, "FunctionName", function.function_name]]
      }
    }
  ]

  api_widget = {
    type   = "metric"
    width  = 12
    height = 6
    properties = {
      title  = "HTTP API responses"
      region = var.region
      stat   = "Sum"
      period = var.period_seconds
      view   = "timeSeries"
      metrics = [
        for metric in ["Count", "4xx", "5xx"] :
        ["AWS/ApiGateway", metric, "ApiId", var.http_api_id, "Stage", var.http_api_stage]
      ]
    }
  }

  dynamodb_widget = {
    type   = "metric"
    width  = 12
    height = 6
    properties = {
      title  = "DynamoDB throttle events"
      region = var.region
      stat   = "Sum"
      period = var.period_seconds
      view   = "timeSeries"
      metrics = flatten([
        for table in var.table_names : [
          ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", table],
          ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", table],
        ]
      ])
    }
  }

  alarm_widget = {
    type   = "alarm"
    width  = 24
    height = 4
    properties = {
      title = "Alarms"
      alarms = concat(
        flatten([for function in var.functions : function.alarm_arns]),
        [aws_cloudwatch_metric_alarm.http_5xx.arn],
        [for alarm in aws_cloudwatch_metric_alarm.dynamodb_throttles : alarm.arn],
      )
    }
  }
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = coalesce(var.dashboard_name, var.name)
  dashboard_body = jsonencode({
    widgets = concat([local.alarm_widget], local.lambda_widgets, [local.api_widget, local.dynamodb_widget])
  })
}
