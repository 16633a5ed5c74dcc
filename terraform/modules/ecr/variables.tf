variable "name" {
  type        = string
  description = "Repository name, environment included (e.g. pixel-detector-dev)."
}

variable "untagged_expiry_days" {
  type        = number
  description = "Days after which untagged images (left behind by rebuilt tags) are deleted."
  default     = 3
}

variable "keep_tagged_images" {
  type        = number
  description = "How many tagged images to keep, newest first; older tags stop being rollback targets."
  default     = 20
}

variable "force_delete" {
  type        = bool
  description = "Let Terraform delete the repository while it still holds images."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on top of the provider's default tags."
  default     = {}
}
