variable "region" {
  type        = string
  description = "AWS region of the stack."
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

variable "scanner_image_tag" {
  type        = string
  description = "Scanner image tag written to the SSM parameter when it is created. Afterwards the parameter is the source of truth (build.py push / rollback write it), so changing this does nothing."
  default     = "v1.0.0"

  validation {
    condition     = var.scanner_image_tag != "latest" && can(regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", var.scanner_image_tag))
    error_message = "scanner_image_tag must be an explicit, immutable tag such as v1.0.0; \"latest\" is refused because it cannot be rolled back to."
  }
}

variable "artifacts_dir" {
  type        = string
  description = "Directory holding the ZIP artifacts and manifest.json written by build.py; null means ../dist."
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
