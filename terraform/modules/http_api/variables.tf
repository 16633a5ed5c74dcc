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

variable "cors_allowed_headers" {
  type        = list(string)
  description = "Request headers a browser may send cross-origin (answer to a preflight's Access-Control-Request-Headers)."
  default     = ["content-type", "x-api-key", "x-correlation-id"]
}

variable "cors_exposed_headers" {
  type        = list(string)
  description = "Response headers a cross-origin page may read (Access-Control-Expose-Headers)."
  default     = ["x-correlation-id", "retry-after"]
}

variable "cors_max_age_seconds" {
  type        = number
  description = "How long a browser may cache a preflight answer (Access-Control-Max-Age)."
  default     = 3600

  validation {
    # API Gateway refuses more than 86400 seconds.
    condition     = var.cors_max_age_seconds >= 0 && var.cors_max_age_seconds <= 86400
    error_message = "cors_max_age_seconds must be between 0 and 86400."
  }
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
