variable "bucket_name" {
  type        = string
  description = "Globally unique bucket name (3-63 characters), environment and region included."
}

variable "cloudfront_reader_arn" {
  type        = string
  description = "ARN of the one CloudFront distribution allowed to read the objects (through an origin access control); null for none."
  default     = null
}

variable "versioning" {
  type        = bool
  description = "Keep object versions."
  default     = false
}

variable "force_destroy" {
  type        = bool
  description = "Let Terraform delete the bucket with objects still in it (dev only)."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on top of the provider's default tags."
  default     = {}
}
