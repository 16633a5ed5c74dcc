# One monthly cost budget per environment, alerting the alarm topic at 80 % and 100 % of the
# amount. Budgets are account-wide, so the name ends in the region like the other account-wide
# names.
locals {
  monthly_budget_usd    = coalesce(var.monthly_budget_usd, local.settings.monthly_budget_usd)
  budget_alert_percents = [80, 100]
}

resource "aws_budgets_budget" "monthly" {
  name         = "${local.name}-monthly${local.region_suffix}"
  budget_type  = "COST"
  limit_amount = format("%.2f", local.monthly_budget_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  dynamic "cost_filter" {
    for_each = var.budget_by_environment_tag ? [local.env] : []
    content {
      name   = "TagKeyValue"
      values = [format("user:Environment$%s", cost_filter.value)]
    }
  }

  dynamic "notification" {
    for_each = local.budget_alert_percents
    content {
      comparison_operator       = "GREATER_THAN"
      threshold                 = notification.value
      threshold_type            = "PERCENTAGE"
      notification_type         = "ACTUAL"
      subscriber_sns_topic_arns = [module.monitoring.topic_arn]
    }
  }

  # The topic must let budgets.amazonaws.com publish before the notifications can be saved.
  depends_on = [module.monitoring]
}
