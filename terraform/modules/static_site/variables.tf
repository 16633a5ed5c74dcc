variable "bucket_name" {
  type        = string
  description = "Globally unique name of the private bucket holding the pages, environment included."
}

variable "source_dir" {
  type        = string
  description = "Directory whose files are uploaded as the site (web/); null uploads nothing, for a pipeline that syncs the files itself."
  default     = null
}

variable "config_js" {
  type        = string
  description = "Content of config.js, the page's only deployment-specific file (the API and WebSocket URLs); null leaves config.js to whoever deploys the files."
  default     = null
}

variable "default_root_object" {
  type        = string
  description = "Object CloudFront serves for the site root (/)."
  default     = "index.html"
}

variable "price_class" {
  type        = string
  description = "CloudFront price class: which edge locations serve the site."
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "cache_policy_id" {
  type        = string
  description = "CloudFront cache policy of the pages. The default is AWS's managed CachingOptimized policy, whose id is the same in every account."
  default     = "658327ea-f89d-4fab-a63d-7e88639e58f6"
}

variable "response_headers_policy_id" {
  type        = string
  description = "CloudFront response headers policy. The default is AWS's managed SecurityHeadersPolicy (HSTS, nosniff, frame and XSS headers), the same id in every account."
  default     = "67f7725c-6f97-4210-82d7-5512b31e9d03"
}

variable "wait_for_deployment" {
  type        = bool
  description = "Wait until CloudFront has deployed the distribution to its edges (minutes on AWS); false returns once it is accepted."
  default     = true
}

variable "force_destroy" {
  type        = bool
  description = "Allow Terraform to delete the bucket with its files in it (dev only)."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on top of the provider's default tags."
  default     = {}
}
