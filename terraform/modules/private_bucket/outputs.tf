output "name" {
  description = "Bucket name, known once the bucket is configured: objects written through it are encrypted, private and versioned from the start."
  value       = aws_s3_bucket.this.bucket
  # An object uploaded before versioning is enabled keeps a "null" version forever.
  depends_on = [
    aws_s3_bucket_public_access_block.this,
    aws_s3_bucket_ownership_controls.this,
    aws_s3_bucket_server_side_encryption_configuration.this,
    aws_s3_bucket_versioning.this,
  ]
}

output "arn" {
  description = "Bucket ARN."
  value       = aws_s3_bucket.this.arn
}

output "regional_domain_name" {
  description = "Regional domain name of the bucket (CloudFront's origin)."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}

output "policy_id" {
  description = "Id of the bucket policy, for callers that must wait until it applies."
  value       = aws_s3_bucket_policy.this.id
}
