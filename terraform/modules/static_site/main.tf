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

module "bucket" {
  source = "../private_bucket"

  bucket_name = var.bucket_name
  # Versions let a bad deployment of the pages be rolled back object by object.
  versioning            = true
  cloudfront_reader_arn = aws_cloudfront_distribution.this.arn
  force_destroy         = var.force_destroy
  tags                  = var.tags
}

resource "aws_cloudfront_origin_access_control" "this" {
  name                              = var.bucket_name
  description                       = "CloudFront reads ${var.bucket_name} with signed requests."
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_distribution" "this" {
  #checkov:skip=CKV_AWS_68:A static demo page with no forms of its own; WAF costs more than the site. Put one in front when the site grows.
  #checkov:skip=CKV_AWS_86:Standard logging needs a log bucket with ACLs enabled; enable it per environment when needed.
  #checkov:skip=CKV_AWS_174:The default *.cloudfront.net certificate; set an ACM certificate with TLSv1.2_2021 when a custom domain is added.
  #checkov:skip=CKV_AWS_310:One origin only: the pages live in one bucket.
  #checkov:skip=CKV_AWS_374:The demo is open to every country.
  #checkov:skip=CKV2_AWS_42:Custom certificates come with a custom domain, which this module does not manage.
  #checkov:skip=CKV2_AWS_47:No WAF (see CKV_AWS_68).
  #checkov:skip=CKV2_AWS_32:The managed SecurityHeadersPolicy is attached by its published id (var.response_headers_policy_id); checkov recognises only a policy declared in this configuration.
  enabled             = true
  is_ipv6_enabled     = true
  comment             = "Static pages of ${var.bucket_name}"
  default_root_object = var.default_root_object
  price_class         = var.price_class
  http_version        = "http2and3"
  wait_for_deployment = var.wait_for_deployment
  tags                = var.tags

  origin {
    origin_id                = "pages"
    domain_name              = module.bucket.regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.this.id
  }

  default_cache_behavior {
    target_origin_id           = "pages"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = var.cache_policy_id
    response_headers_policy_id = var.response_headers_policy_id
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

resource "aws_s3_object" "file" {
  for_each = local.files

  bucket       = module.bucket.name
  key          = each.value
  source       = "${var.source_dir}/${each.value}"
  source_hash  = filemd5("${var.source_dir}/${each.value}")
  content_type = lookup(local.content_types, lower(element(split(".", each.value), length(split(".", each.value)) - 1)), "application/octet-stream")
  tags         = var.tags
}

resource "aws_s3_object" "config" {
  count = var.config_js == null ? 0 : 1

  bucket        = module.bucket.name
  key           = "config.js"
  content       = var.config_js
  content_type  = local.content_types.js
  cache_control = "no-cache" # the URLs change with a redeployment; browsers must revalidate
  tags          = var.tags
}
