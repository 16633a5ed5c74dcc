variable "bucket_name" {
  type        = string
  description = "Globally unique bucket name, environment included."
}

variable "upload_prefix" {
  type        = string
  description = "Key prefix of phone uploads; objects under it expire and trigger the notification."
  default     = "session-uploads/"
}

variable "expire_after_days" {
  type        = number
  description = "Days after which objects under upload_prefix are deleted."
  default     = 1
}

variable "cors_allowed_origins" {
  type        = list(string)
  description = "Web origins allowed to POST uploads from a browser (presigned POST)."
}

variable "notification_function" {
  type = object({
    function_name = string
    arn           = string
    qualifier     = optional(string)
  })
  description = "The function receiving ObjectCreated events under upload_prefix: the function module's outputs (or any object with these): name, ARN S3 invokes (the alias's qualified ARN when qualifier is set) and alias name."
}

variable "account_id" {
  type        = string
  description = "Account that owns the bucket; the invoke permission is limited to it (source_account)."
}

variable "force_destroy" {
  type        = bool
  description = "Allow Terraform to delete a non-empty bucket (handy in dev, never in prod)."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on top of the provider's default tags."
  default     = {}
}
