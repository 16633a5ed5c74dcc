variable "name" {
  type        = string
  description = "API name, environment included."
}

variable "stage_name" {
  type        = string
  description = "Stage name; part of the wss:// URL and of the management endpoint."
}

variable "region" {
  type        = string
  description = "AWS region of the API, used to build the ARN of its connections."
}

variable "account_id" {
  type        = string
  description = "Account of the API, used to build the ARN of its connections."
}

variable "partition" {
  type        = string
  description = "AWS partition (aws, aws-cn, aws-us-gov), used to build ARNs."
  default     = "aws"
}

variable "function_name" {
  type        = string
  description = "Function handling $connect and $disconnect."
}

variable "function_invoke_arn" {
  type        = string
  description = "Invoke ARN of that function."
}

variable "route_keys" {
  type        = list(string)
  description = "Routes sent to the function; must equal the handler's app.websocket_routes."
  default     = ["$connect", "$disconnect"]
}

variable "throttling_rate_limit" {
  type        = number
  description = "Steady-state messages per second allowed on the stage."
}

variable "throttling_burst_limit" {
  type        = number
  description = "Burst allowed on the stage."
}

variable "access_logs" {
  type        = bool
  description = "Write JSON access logs. Needs the account's API Gateway CloudWatch role (aws_api_gateway_account) to exist first."
  default     = false
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
