variable "function_name" {
  type        = string
  description = "Lambda function name, environment included (e.g. qr-upload-http-api-dev)."
}

variable "role_name" {
  type        = string
  description = "Name of the function's IAM role; null uses the function name. IAM names are account-wide, so a stack deployed to several regions puts the region in it."
  default     = null
}

variable "service" {
  type        = string
  description = "Service folder under handlers/ (sessions, realtime, counter, scanner); also the Service tag."
}

variable "package_type" {
  type        = string
  description = "Zip (code from a ZIP artifact) or Image (container image from ECR)."

  validation {
    condition     = contains(["Zip", "Image"], var.package_type)
    error_message = "package_type must be Zip or Image."
  }
}

variable "handler" {
  type        = string
  description = "Python entry point, handlers.<service>.app.lambda_handler. For images it becomes the image command."
}

variable "runtime" {
  type        = string
  description = "Lambda runtime of ZIP functions."
  default     = "python3.12"
}

variable "zip_path" {
  type        = string
  description = "Path of the ZIP artifact (Zip only)."
  default     = null
}

variable "source_code_hash" {
  type        = string
  description = "base64 SHA-256 of the ZIP artifact from dist/manifest.json, so a rebuilt artifact redeploys (Zip only)."
  default     = null
}

variable "image_uri" {
  type        = string
  description = "ECR image URI with an explicit tag (Image only)."
  default     = null
}

variable "memory_mb" {
  type        = number
  description = "Memory size in MB."
}

variable "timeout_seconds" {
  type        = number
  description = "Function timeout in seconds."
}

variable "reserved_concurrency" {
  type        = number
  description = "Reserved concurrent executions; -1 leaves the function on the unreserved pool."
}

variable "environment" {
  type        = map(string)
  description = "Environment variables: exactly the deployed settings the handler declares."
}

variable "policy_statements" {
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
  }))
  description = "The function's own permissions, each scoped to ARNs. Log and tracing permissions are added here."
}

variable "publish" {
  type        = bool
  description = "Publish a version on every code change (needed for an alias)."
  default     = false
}

variable "alias_name" {
  type        = string
  description = "Name of an alias pointing at the latest published version; null for none."
  default     = null
}

variable "pinned_version" {
  type        = string
  description = "Published version the alias stays on (a rollback's pin); null follows the newest published version."
  default     = null

  validation {
    condition     = var.pinned_version == null || can(regex("^[1-9][0-9]*$", var.pinned_version))
    error_message = "pinned_version must be a published version number such as \"3\", or null."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the function's CloudWatch log group in days."
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on top of the provider's default tags."
  default     = {}
}
