variable "name" {
  type        = string
  description = "API name, environment included."
}

variable "integrations" {
  type = map(object({
    function_name = string
    invoke_arn    = string
    qualifier     = optional(string)
  }))
  description = "Lambda integrations by key: function name, invoke ARN (of the alias when qualifier is set) and alias name."
}

variable "routes" {
  type        = map(string)
  description = "Route key (\"METHOD /path\") to integration key. Must equal the routes the handlers declare."
}

variable "cors_allowed_origins" {
  type        = list(string)
  description = "Origins allowed by the API's CORS configuration."
}

variable "throttling_rate_limit" {
  type        = number
  description = "Steady-state requests per second allowed on the default stage."
}

variable "throttling_burst_limit" {
  type        = number
  description = "Burst of requests allowed on the default stage."
}

variable "integration_timeout_ms" {
  type        = number
  description = "How long API Gateway waits for a function (HTTP APIs allow at most 30000 ms)."
  default     = 30000
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the access-log group in days."
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on top of the provider's default tags."
  default     = {}
}
