# Static pages from a private S3 bucket, served only through CloudFront (origin access control)
# over HTTPS.
locals {
  content_types = {
    html = "text/html; charset=utf-8"
    js   = "text/javascript; charset=utf-8"
    css  = "text/css; charset=utf-8"
    json = "application/json"
    svg  = "image/svg+xml"
    png  = "image/png"
    ico  = "image/x-icon"
    txt  = "text/plain; charset=utf-8"
    md   = "text/markdown; charset=utf-8"
    # LICENSE and other extension-less files
    license = "text/plain; charset=utf-8"
  }
  # config.js is generated per deployment (var.config_js); a local copy must never be uploaded.
  files = var.source_dir == null ? toset([]) : toset([
    for path in fileset(var.source_dir, "**") : path if path != "config.js"
  ])
}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:CloudFront serves every read; its standard logs are the access log that matters, and the bucket has no other reader.
  #checkov:skip=CKV_AWS_144:The pages are rebuilt from git by terraform apply; a replica in a second region would add nothing.
  #checkov:skip=CKV_AWS_145:Public web pages: SSE-S3 is enough, SSE-KMS would need a key policy for CloudFront.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to page uploads.
  #checkov:skip=CKV2_AWS_61:The files are replaced on every apply; there is nothing to expire.
  bucket        = var.bucket_name
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  # Versions let a bad deployment of the pages be rolled back object by object.
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_cloudfront_origin_access_control" "this" {
  name                              = var.bucket_name
  description                       = "CloudFront reads ${var.bucket_name} with signed requests."
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

data "aws_cloudfront_cache_policy" "optimized" {
  name = "Managed-CachingOptimized"
}

data "aws_cloudfront_response_headers_policy" "security" {
  name = "Managed-SecurityHeadersPolicy"
}

resource "aws_cloudfront_distribution" "this" {
  #checkov:skip=CKV_AWS_68:A static demo page with no forms of its own; WAF costs more than the site. Put one in front when the site grows.
  #checkov:skip=CKV_AWS_86:Standard logging needs a log bucket with ACLs enabled; enable it per environment when needed.
  #checkov:skip=CKV_AWS_174:The default *.cloudfront.net certificate; set an ACM certificate with TLSv1.2_2021 when a custom domain is added.
  #checkov:skip=CKV_AWS_310:One origin only: the pages live in one bucket.
  #checkov:skip=CKV_AWS_374:The demo is open to every country.
  #checkov:skip=CKV2_AWS_42:Custom certificates come with a custom domain, which this module does not manage.
  #checkov:skip=CKV2_AWS_47:No WAF (see CKV_AWS_68).
  enabled             = true
  is_ipv6_enabled     = true
  comment             = "Static pages of ${var.bucket_name}"
  default_root_object = var.default_root_object
  price_class         = var.price_class
  http_version        = "http2and3"
  tags                = var.tags

  origin {
    origin_id                = "pages"
    domain_name              = aws_s3_bucket.this.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.this.id
  }

  default_cache_behavior {
    target_origin_id           = "pages"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.optimized.id
    response_headers_policy_id = data.aws_cloudfront_response_headers_policy.security.id
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudFrontReadsThroughOriginAccessControl"
        Effect    = "Allow"
        Principal = { Service = "cloudfront.amazonaws.com" }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.this.arn}/*"
        Condition = { StringEquals = { "AWS:SourceArn" = aws_cloudfront_distribution.this.arn } }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*" # every action on purpose: no request at all without TLS
        Resource  = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })

  # Applying a policy before the public access block races with it on a new bucket.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_object" "file" {
  for_each = local.files

  bucket       = aws_s3_bucket.this.id
  key          = each.value
  source       = "${var.source_dir}/${each.value}"
  source_hash  = filemd5("${var.source_dir}/${each.value}")
  content_type = lookup(local.content_types, lower(element(split(".", each.value), length(split(".", each.value)) - 1)), "application/octet-stream")
  tags         = var.tags
}

resource "aws_s3_object" "config" {
  count = var.config_js == null ? 0 : 1

  bucket        = aws_s3_bucket.this.id
  key           = "config.js"
  content       = var.config_js
  content_type  = local.content_types.js
  cache_control = "no-cache" # the URLs change with a redeployment; browsers must revalidate
  tags          = var.tags
}
