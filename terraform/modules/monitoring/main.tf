# One SNS topic, every alarm of the stack notifying it, and one dashboard of the stack.
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

# Every alarm of the stack, as data: per function its error rate (metric math), p95 duration and
# throttles; the HTTP API's 5xx; throttled requests per table; per queue the age of its oldest
# message and any message in its dead-letter queue.
locals {
  alarms = merge(
    merge([
      for function in values(var.functions) : {
        for kind, alarm in {
          error-rate = {
            description = "More than ${var.error_rate_threshold_percent}% of ${function.function_name} invocations failed."
            metrics     = { errors = "Errors", invocations = "Invocations" }
            stat        = "Sum"
            expression  = "IF(invocations > 0, 100 * errors / invocations, 0)"
            label       = "Error rate (%)"
            threshold   = var.error_rate_threshold_percent
          }
          duration-p95 = { description = "p95 duration of ${function.function_name} is above ${function.duration_p95_threshold_ms} ms.", metrics = { duration = "Duration" }, stat = "p95", expression = "duration", label = "p95 duration (ms)", threshold = function.duration_p95_threshold_ms }
          throttles    = { description = "${function.function_name} was throttled.", metrics = { throttles = "Throttles" }, stat = "Sum", expression = "throttles", label = "Throttles", threshold = 0 }
        } :
        "${function.function_name}-${kind}" => merge(alarm, {
          metrics = {
            for id, metric_name in alarm.metrics : id => {
              namespace = "AWS/Lambda", metric_name = metric_name, stat = alarm.stat, dimensions = { FunctionName = function.function_name }
            }
          }
        })
      }
    ]...),
    {
      "${var.name}-http-api-5xx" = {
        description = "The HTTP API returned more than ${var.http_5xx_threshold} 5xx responses in ${var.period_seconds} s."
        metrics = {
          errors = { namespace = "AWS/ApiGateway", metric_name = "5xx", stat = "Sum", dimensions = { ApiId = var.http_api_id, Stage = var.http_api_stage } }
        }
        expression = "errors"
        label      = "5xx responses"
        threshold  = var.http_5xx_threshold
      }
    },
    {
      for table in var.table_names : "${table}-throttled-requests" => {
        description = "DynamoDB throttled reads or writes on ${table}."
        metrics = {
          reads  = { namespace = "AWS/DynamoDB", metric_name = "ReadThrottleEvents", stat = "Sum", dimensions = { TableName = table } }
          writes = { namespace = "AWS/DynamoDB", metric_name = "WriteThrottleEvents", stat = "Sum", dimensions = { TableName = table } }
        }
        expression = "reads + writes"
        label      = "Throttled requests"
        threshold  = var.dynamodb_throttle_threshold
      }
    },
    merge([
      for queue in values(var.queues) : {
        "${queue.queue_name}-oldest-message-age" = {
          description = "The oldest message of ${queue.queue_name} waited over ${queue.oldest_message_age_threshold_seconds} s: the consumer is stuck or too slow."
          metrics = {
            age = { namespace = "AWS/SQS", metric_name = "ApproximateAgeOfOldestMessage", stat = "Maximum", dimensions = { QueueName = queue.queue_name } }
          }
          expression = "age"
          label      = "Oldest message (s)"
          threshold  = queue.oldest_message_age_threshold_seconds
        }
        "${queue.dead_letter_queue_name}-depth" = {
          description = "${queue.dead_letter_queue_name} holds messages ${queue.queue_name} could not process."
          metrics = {
            depth = { namespace = "AWS/SQS", metric_name = "ApproximateNumberOfMessagesVisible", stat = "Maximum", dimensions = { QueueName = queue.dead_letter_queue_name } }
          }
          expression = "depth"
          label      = "Messages in the DLQ"
          threshold  = 0
        }
      }
    ]...),
  )
}

module "alarm" {
  source   = "../metric_alarm"
  for_each = local.alarms

  name           = each.key
  description    = each.value.description
  metrics        = each.value.metrics
  expression     = each.value.expression
  label          = each.value.label
  threshold      = each.value.threshold
  topic_arn      = aws_sns_topic.alarms.arn
  period_seconds = var.period_seconds
  tags           = var.tags
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

  queue_widget = {
    type   = "metric"
    width  = 12
    height = 6
    properties = {
      title  = "SQS queues"
      region = var.region
      stat   = "Maximum"
      period = var.period_seconds
      view   = "timeSeries"
      metrics = flatten([
        for queue in values(var.queues) : [
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue.queue_name],
          ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", queue.queue_name],
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue.dead_letter_queue_name],
        ]
      ])
    }
  }

  alarm_widget = {
    type   = "alarm"
    width  = 24
    height = 4
    properties = {
      title  = "Alarms"
      alarms = [for alarm in module.alarm : alarm.arn]
    }
  }
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = coalesce(var.dashboard_name, var.name)
  dashboard_body = jsonencode({
    widgets = concat([local.alarm_widget], local.lambda_widgets, [local.api_widget, local.dynamodb_widget], length(var.queues) > 0 ? [local.queue_widget] : [])
  })
}
