variable "region" {
  type        = string
  description = "AWS region of the stack (the provider refuses a name it does not know at plan). It ends the account-wide names (roles, buckets, dashboard), so one environment can be deployed to two regions of an account."
  default     = "eu-west-1"
}

variable "account_id" {
  type        = string
  description = "AWS account the environment lives in. When set, the provider refuses to touch any other account (allowed_account_ids) and bucket names use it without a lookup; null uses the caller's account."
  default     = null

  validation {
    condition     = var.account_id == null || can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "project" {
  type        = string
  description = "Project name: first part of every resource name and the Project tag."
  default     = "qrstack"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.project))
    error_message = "project must be 2-21 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "name_prefix" {
  type        = string
  description = "Optional prefix of every name (e.g. \"alice-\"), so two copies of an environment can share an account."
  default     = ""

  validation {
    condition     = var.name_prefix == "" || can(regex("^[a-z][a-z0-9-]{0,14}-$", var.name_prefix))
    error_message = "name_prefix must be empty or up to 16 lower-case letters, digits or dashes ending in \"-\" (e.g. \"alice-\")."
  }
}

variable "web_origins" {
  type        = list(string)
  description = "Origins of the web pages (CORS of the HTTP API and of the upload bucket's POST). [\"*\"] allows any."
  default     = ["*"]
}

variable "ip_allow_list" {
  type        = list(string)
  description = "Client IPs never rate limited (IP_WHITELIST of the rate-limited functions)."
  default     = []
}

variable "alarm_email" {
  type        = string
  description = "Email subscribed to the alarm topic; null for none."
  default     = null
}

variable "artifacts_dir" {
  type        = string
  description = "Directory holding the ZIP artifacts and manifest.json written by build.py, relative to this directory (so the state does not record the checkout's path); null means ../dist."
  default     = null
}

variable "api_key_kms_key_arn" {
  type        = string
  description = "Customer managed KMS key encrypting the scanner API key parameter; null uses the AWS managed aws/ssm key."
  default     = null
}

variable "websocket_access_logs" {
  type        = bool
  description = "Access logs on the WebSocket stage. Turn on once the account's API Gateway CloudWatch role is set (aws apigateway update-account); a fresh account refuses them."
  default     = false
}

variable "lambda_concurrency_limit" {
  type        = number
  description = "The account's Lambda concurrent-executions quota in this region (Service Quotas: AWS Lambda, L-B99A9384). Null, the default, reserves nothing: every function runs on the unreserved pool, as a fresh account (often limited to 10) requires. Set it to apply the environment's reserved_concurrency; the plan refuses reservations that would leave Lambda fewer than the 100 executions it keeps unreserved."
  default     = null

  validation {
    condition     = var.lambda_concurrency_limit == null || try(var.lambda_concurrency_limit >= 1 && floor(var.lambda_concurrency_limit) == var.lambda_concurrency_limit, false)
    error_message = "lambda_concurrency_limit must be a whole number of concurrent executions (the account's quota), or null."
  }
}

variable "static_site" {
  type        = bool
  description = "Serve the QR demo pages (web/) through CloudFront. Switch it off for an account whose CloudFront is not verified yet (new accounts are refused CreateDistribution until AWS support verifies them)."
  default     = true
}

variable "cloudfront_wait_for_deployment" {
  type        = bool
  description = "Wait until CloudFront has deployed the distribution to its edges (several minutes on AWS); false ends the apply as soon as CloudFront has accepted it."
  default     = true
}

variable "monthly_budget_usd" {
  type        = number
  description = "Monthly AWS cost in USD the environment's budget alerts the alarm topic at (80 % and 100 % of actual cost); null uses the environment's default (dev 5, staging 10, prod 50)."
  default     = null

  validation {
    condition     = var.monthly_budget_usd == null || try(var.monthly_budget_usd > 0, false)
    error_message = "monthly_budget_usd must be a positive amount of USD, or null for the environment's default."
  }
}

variable "budget_by_environment_tag" {
  type        = bool
  description = "Count only costs tagged Environment=<env> in the budget. Needs the Environment tag activated as a cost allocation tag (Billing console, once per account), or the budget sees no cost; false counts the whole account, right for an account per environment."
  default     = false
}
