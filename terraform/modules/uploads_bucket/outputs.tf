output "name" {
  description = "Bucket name."
  value       = aws_s3_bucket.this.bucket
}

output "arn" {
  description = "Bucket ARN."
  value       = aws_s3_bucket.this.arn
}

output "upload_objects_arn" {
  description = "ARN pattern of the objects under the upload prefix, for IAM statements."
  value       = "${aws_s3_bucket.this.arn}/${var.upload_prefix}*"
}

output "regional_domain_name" {
  description = "Regional domain name of the bucket."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}
