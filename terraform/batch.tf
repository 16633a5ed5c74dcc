# Batch scans (POST /scans): one SQS message per site feeds the scanner through an event source
# mapping; each site's result goes to the batch-items table and the results bucket. The batch
# tables are in tables.tf, the queue alarms in monitoring.tf.
locals {
  batch = local.settings.batch_scans
  # Bucket names are global: the account id and region keep stacks apart (see locals.tf).
  scan_results_bucket_name = "${local.name}-scans-${local.account_id}${local.region_suffix}"
  scan_queue_name          = "${local.name}-scans"
  scan_dlq_name            = "${local.name}-scans-dlq"
  # AWS's advice for an SQS event source: a visibility timeout of six times the function's
  # timeout, so a message is not delivered again while an invocation may still hold it.
  scan_visibility_timeout = 6 * local.settings.timeout_seconds.scanner
}

resource "aws_sqs_queue" "scans_dlq" {
  name                      = local.scan_dlq_name
  message_retention_seconds = 14 * 86400 # SQS's longest: time to read and redrive
  sqs_managed_sse_enabled   = true
  tags                      = { Service = "scanner" }
}

resource "aws_sqs_queue" "scans" {
  name                       = local.scan_queue_name
  visibility_timeout_seconds = local.scan_visibility_timeout
  message_retention_seconds  = 4 * 86400
  sqs_managed_sse_enabled    = true
  # Only infrastructure errors return a site to the queue; after max_receive_count receives it
  # waits in the dead-letter queue, which alarms (monitoring.tf).
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.scans_dlq.arn
    maxReceiveCount     = local.batch.max_receive_count
  })
  tags = { Service = "scanner" }
}

resource "aws_lambda_event_source_mapping" "scans" {
  # The alias, as the HTTP API: a rollback of the scanner moves the batch worker too.
  function_name           = "${module.function["scanner"].arn}:${module.function["scanner"].qualifier}"
  event_source_arn        = aws_sqs_queue.scans.arn
  batch_size              = local.batch.batch_size
  function_response_types = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = local.batch.maximum_concurrency
  }

  # The role's SQS permissions must exist before Lambda checks them on create.
  depends_on = [module.function]
}

module "scan_results_bucket" {
  source = "./modules/private_bucket"

  bucket_name   = local.scan_results_bucket_name
  force_destroy = local.settings.force_destroy
  tags          = { Service = "scanner" }
}

resource "aws_s3_bucket_lifecycle_configuration" "scan_results" {
  bucket = module.scan_results_bucket.name

  rule {
    id     = "expire-batches"
    status = "Enabled"
    filter {
      prefix = "batches/"
    }
    # The batch tables' TTL is the same: a batch and its files go together.
    expiration {
      days = local.batch.retention_days
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

locals {
  batch_env = {
    SCAN_BATCHES_TABLE_NAME     = module.table["scan-batches"].name
    SCAN_BATCH_ITEMS_TABLE_NAME = module.table["scan-batch-items"].name
    SCAN_RESULTS_BUCKET_NAME    = module.scan_results_bucket.name
    SCAN_QUEUE_NAME             = aws_sqs_queue.scans.name
    BATCH_SCAN_TIMEOUT          = tostring(local.batch.scan_timeout_seconds)
    BATCH_RETENTION_DAYS        = tostring(local.batch.retention_days)
  }

  batch_statements = [
    {
      sid       = "BatchTables"
      actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:BatchWriteItem"]
      resources = [module.table["scan-batches"].arn, module.table["scan-batch-items"].arn]
    },
    {
      # GetObject both reads results into the reports and signs the presigned GETs.
      sid       = "BatchResults"
      actions   = ["s3:PutObject", "s3:GetObject"]
      resources = ["${module.scan_results_bucket.arn}/batches/*"]
    },
    {
      # POST /scans sends; the event source mapping receives and deletes with this role.
      sid       = "BatchQueue"
      actions   = ["sqs:GetQueueUrl", "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
      resources = [aws_sqs_queue.scans.arn]
    },
  ]
}
