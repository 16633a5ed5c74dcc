# One CloudWatch alarm on a metric-math expression over named metrics; a plain metric is the
# expression that names it. Every alarm of the stack is one of these, notifying one topic.
resource "aws_cloudwatch_metric_alarm" "this" {
  alarm_name          = var.name
  alarm_description   = var.description
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = var.evaluation_periods
  threshold           = var.threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.topic_arn]
  ok_actions          = [var.topic_arn]

  metric_query {
    id          = "alarm"
    expression  = var.expression
    label       = var.label
    return_data = true
  }

  # The offline evaluator (tfparse) renders only a resource's first dynamic block: this one.
  dynamic "metric_query" {
    for_each = var.metrics
    content {
      id = metric_query.key
      metric {
        namespace   = metric_query.value.namespace
        metric_name = metric_query.value.metric_name
        period      = var.period_seconds
        stat        = metric_query.value.stat
        dimensions  = metric_query.value.dimensions
      }
    }
  }

  tags = var.tags
}
