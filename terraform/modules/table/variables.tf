variable "name" {
  type        = string
  description = "Table name, environment included."
}

variable "hash_key" {
  type        = string
  description = "Name of the partition key attribute (type S)."
}

variable "range_key" {
  type        = string
  description = "Name of the sort key attribute (type S); null for a table with a partition key only."
  default     = null
}

variable "ttl_attribute" {
  type        = string
  description = "Attribute holding the epoch-seconds expiry that DynamoDB TTL deletes on; null disables TTL."
  default     = null
}

variable "global_secondary_indexes" {
  type = map(object({
    hash_key        = string
    projection_type = optional(string, "ALL")
  }))
  description = "GSIs by index name; every index key is a string attribute."
  default     = {}
}

variable "point_in_time_recovery" {
  type        = bool
  description = "Keep continuous backups for 35 days (point-in-time recovery)."
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse DeleteTable until this is switched off."
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on top of the provider's default tags."
  default     = {}
}
