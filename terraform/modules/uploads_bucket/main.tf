# The private, TLS-only bucket receiving phone uploads by presigned POST: uploads expire after a
# day and each one notifies the realtime function.
module "bucket" {
  source = "../private_bucket"

  bucket_name   = var.bucket_name
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = module.bucket.name

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
  bucket = module.bucket.name

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
  function_name  = var.notification_function.function_name
  qualifier      = var.notification_function.qualifier
  principal      = "s3.amazonaws.com"
  source_arn     = module.bucket.arn
  source_account = var.account_id
}

resource "aws_s3_bucket_notification" "this" {
  bucket = module.bucket.name

  lambda_function {
    id                  = "upload-completed"
    lambda_function_arn = var.notification_function.arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = var.upload_prefix
  }

  # S3 validates the destination when the notification is saved, so the permission must exist first.
  depends_on = [aws_lambda_permission.s3_invoke]
}
