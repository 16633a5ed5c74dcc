variable "name" {
  type        = string
  description = "Alarm name, environment included."
}

variable "description" {
  type        = string
  description = "What it means when the alarm fires."
}

variable "metrics" {
  type = map(object({
    namespace   = string
    metric_name = string
    stat        = optional(string, "Sum")
    dimensions  = map(string)
  }))
  description = "The metrics the expression reads, by the id it names them with (lower-case letters first)."
}

variable "expression" {
  type        = string
  description = "Metric math over the metrics' ids whose value is compared with the threshold, e.g. \"reads + writes\"; a single id alarms on that metric."
}

variable "label" {
  type        = string
  description = "Label of the expression on graphs; null uses the expression."
  default     = null
}

variable "threshold" {
  type        = number
  description = "The alarm fires when the expression is above this."
}

variable "topic_arn" {
  type        = string
  description = "SNS topic notified when the alarm fires and when it is OK again."
}

variable "period_seconds" {
  type        = number
  description = "Period of the metrics in seconds."
  default     = 300
}

variable "evaluation_periods" {
  type        = number
  description = "Consecutive breaching periods before the alarm fires."
  default     = 1
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on top of the provider's default tags."
  default     = {}
}
