# Private, encrypted, TLS-only bucket receiving phone uploads by presigned POST.
resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:Uploads live one day and every write is already logged by the sessions function; server access logs would need a second bucket per environment for no audit gain.
  #checkov:skip=CKV_AWS_144:Uploads are ephemeral (expired after a day); cross-region replication would copy personal photos to a second region for nothing.
  #checkov:skip=CKV_AWS_145:SSE-S3 encrypts at rest; SSE-KMS would require every presigned POST signer and reader to hold KMS permissions for photos deleted after a day.
  #checkov:skip=CKV_AWS_21:Objects are write-once and expire after a day; versions would only keep deleted photos around longer.
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

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*" # a Deny on every action is the point: no request at all without TLS
        Resource  = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })

  # Applying a policy before the public access block races with it on a new bucket.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-uploads"
    status = "Enabled"

    filter {
      prefix = var.upload_prefix
    }

    expiration {
      days = var.expire_after_days
    }
  }

  rule {
    id     = "abort-incomplete-multipart"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_s3_bucket_cors_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  cors_rule {
    allowed_methods = ["POST"]
    allowed_origins = var.cors_allowed_origins
    allowed_headers = ["*"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }
}

resource "aws_lambda_permission" "s3_invoke" {
  statement_id   = "AllowS3UploadEvents"
  action         = "lambda:InvokeFunction"
  function_name  = var.notification_function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.this.arn
  source_account = var.account_id
}

resource "aws_s3_bucket_notification" "this" {
  bucket = aws_s3_bucket.this.id

  lambda_function {
    id                  = "upload-completed"
    lambda_function_arn = var.notification_function_arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = var.upload_prefix
  }

  # S3 validates the destination when the notification is saved, so the permission must exist first.
  depends_on = [aws_lambda_permission.s3_invoke]
}
