output "name" {
  description = "Bucket name."
  value       = module.bucket.name
}

output "arn" {
  description = "Bucket ARN."
  value       = module.bucket.arn
}

output "upload_objects_arn" {
  description = "ARN pattern of the objects under the upload prefix, for IAM statements."
  value       = "${module.bucket.arn}/${var.upload_prefix}*"
}
