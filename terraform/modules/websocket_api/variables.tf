variable "name" {
  type        = string
  description = "API name, environment included."
}

variable "arn_scope" {
  type = object({
    partition  = optional(string, "aws")
    region     = string
    account_id = string
  })
  description = "Partition (aws, aws-cn, aws-us-gov), region and account of the API, which the ARN of its connections is built from."
}

variable "function" {
  type = object({
    function_name = string
    invoke_arn    = string
    qualifier     = optional(string)
  })
  description = "The function handling $connect and $disconnect: the function module's outputs (or any object with these): name, invoke ARN (of the alias when qualifier is set) and alias name."
}

variable "route_keys" {
  type        = list(string)
  description = "Routes sent to the function; must equal the handler's app.websocket_routes."
  default     = ["$connect", "$disconnect"]
}

variable "stage" {
  type = object({
    name                   = string
    throttling_rate_limit  = number
    throttling_burst_limit = number
    access_logs            = optional(bool, false)
    log_retention_days     = number
  })
  description = "The one stage: its name (part of the wss:// URL and the management endpoint), messages per second and burst allowed, and JSON access logs (they need the account's API Gateway CloudWatch role, aws_api_gateway_account, to exist first) kept this many days."
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on top of the provider's default tags."
  default     = {}
}
