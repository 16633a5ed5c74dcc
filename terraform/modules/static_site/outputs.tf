output "url" {
  description = "https URL of the site (the CloudFront domain); add it to the stack's web_origins for CORS."
  value       = "https://${aws_cloudfront_distribution.this.domain_name}"
}

output "distribution_id" {
  description = "CloudFront distribution id, for cache invalidations after a deployment."
  value       = aws_cloudfront_distribution.this.id
}

output "distribution_domain_name" {
  description = "CloudFront domain name (dxxxx.cloudfront.net)."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "bucket_name" {
  description = "Private bucket holding the pages."
  value       = module.bucket.name
}

output "bucket_arn" {
  description = "ARN of that bucket."
  value       = module.bucket.arn
}
