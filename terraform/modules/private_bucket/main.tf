# A bucket nobody reaches from the internet: public access blocked, ACLs off, encrypted at rest,
# and a policy refusing every request made without TLS; optionally one CloudFront distribution
# reads the objects through its origin access control.
resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:Each caller logs what matters (the sessions function logs every upload; CloudFront logs every page read); server access logs would need a second bucket per environment.
  #checkov:skip=CKV_AWS_144:Both buckets hold data recreated per deployment or deleted within a day; a replica in a second region would copy it for nothing.
  #checkov:skip=CKV_AWS_145:SSE-S3 encrypts at rest; SSE-KMS would require every presigned URL signer, reader and CloudFront to hold KMS permissions for short-lived objects.
  #checkov:skip=CKV2_AWS_62:Only the upload bucket has a reader of its events, and it sets its own notification.
  #checkov:skip=CKV2_AWS_61:The upload bucket sets its own lifecycle rules; the page files are replaced on every apply.
  #checkov:skip=CKV_AWS_21:Versioning is the caller's choice (var.versioning): the pages keep versions, write-once uploads do not.
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
  count = var.versioning ? 1 : 0

  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(var.cloudfront_reader_arn == null ? [] : [
      {
        Sid       = "CloudFrontReadsThroughOriginAccessControl"
        Effect    = "Allow"
        Principal = { Service = "cloudfront.amazonaws.com" }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.this.arn}/*"
        Condition = { StringEquals = { "AWS:SourceArn" = var.cloudfront_reader_arn } }
      },
      ], [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*" # a Deny on every action is the point: no request at all without TLS
        Resource  = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ])
  })

  # Applying a policy before the public access block races with it on a new bucket.
  depends_on = [aws_s3_bucket_public_access_block.this]
}
