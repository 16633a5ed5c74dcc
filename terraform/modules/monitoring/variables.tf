variable "name" {
  type        = string
  description = "Name of the topic and dashboard, environment included."
}

variable "dashboard_name" {
  type        = string
  description = "Name of the dashboard; null uses name. Dashboards are account-wide, so a stack deployed to several regions puts the region in it."
  default     = null
}

variable "region" {
  type        = string
  description = "Region of the dashboard's metrics."
}

variable "alarm_emails" {
  type        = list(string)
  description = "Addresses subscribed to the alarm topic (each confirms the email AWS sends)."
  default     = []
}

variable "functions" {
  type = map(object({
    function_name             = string
    duration_p95_threshold_ms = number
  }))
  description = "The stack's functions by service: each gets error-rate, p95-duration and throttle alarms and is shown on the dashboard."
}

variable "error_rate_threshold_percent" {
  type        = number
  description = "A function's error-rate alarm fires when Errors / Invocations exceeds this percentage over a period."
  default     = 5
}

variable "queues" {
  type = map(object({
    queue_name                           = string
    dead_letter_queue_name               = string
    oldest_message_age_threshold_seconds = number
  }))
  description = "SQS queues by purpose: each alarms when its oldest message is older than the threshold and when its dead-letter queue holds any message, and is shown on the dashboard."
  default     = {}
}

variable "http_api_id" {
  type        = string
  description = "HTTP API whose 5xx responses raise an alarm."
}

variable "http_api_stage" {
  type        = string
  description = "Stage of that API."
  default     = "$default"
}

variable "http_5xx_threshold" {
  type        = number
  description = "Alarm when the HTTP API returns more than this many 5xx responses in a period."
}

variable "table_names" {
  type        = list(string)
  description = "DynamoDB tables whose throttled requests raise an alarm."
}

variable "dynamodb_throttle_threshold" {
  type        = number
  description = "Alarm when a table has more than this many throttled read+write events in a period."
  default     = 0
}

variable "period_seconds" {
  type        = number
  description = "Period of the alarm metrics in seconds."
  default     = 300
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on top of the provider's default tags."
  default     = {}
}
