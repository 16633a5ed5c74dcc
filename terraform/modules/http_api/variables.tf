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
  description = "Lambda integrations by key, e.g. the function module's outputs: function name, invoke ARN (of the alias when qualifier is set) and alias name."
}

variable "routes" {
  type        = map(string)
  description = "Route key (\"METHOD /path\") to integration key. Must equal the routes the handlers declare."
}

variable "cors_allowed_origins" {
  type        = list(string)
  description = "Origins allowed by the API's CORS configuration."
}

variable "integration_timeout_ms" {
  type        = number
  description = "How long API Gateway waits for a function (HTTP APIs allow at most 30000 ms)."
  default     = 30000
}

variable "stage" {
  type = object({
    throttling_rate_limit  = number
    throttling_burst_limit = number
    log_retention_days     = number
  })
  description = "The $default stage: steady-state requests per second and the burst it allows, and how many days its access logs are kept."
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on top of the provider's default tags."
  default     = {}
}
