# One Lambda function with its own role, log group and optional alias (its alarms live in the
# monitoring module, with every other alarm of the stack).
# No module-level locals on purpose: the offline evaluator (tfparse) mixes up the locals of
# several instances of one module, so every expression here reads var.* directly.
data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "LambdaAssumesRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = coalesce(var.role_name, var.function_name)
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = merge({ Service = var.service }, var.tags)
}

resource "aws_iam_role_policy" "this" {
  #checkov:skip=CKV_AWS_290:The only write without a resource constraint is X-Ray trace upload, which supports no resource-level permissions.
  #checkov:skip=CKV_AWS_355:"*" appears only for xray:PutTraceSegments/PutTelemetryRecords, which support no narrower resource.
  name = "${var.function_name}-permissions"
  role = aws_iam_role.this.id
  # jsonencode (not a policy document data source) keeps the evaluated policy plain data that
  # offline checks (tests/terraform) read statement by statement.
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "WriteOwnLogs"
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = ["${aws_cloudwatch_log_group.this.arn}:*"]
        },
        {
          Sid    = "UploadTraces"
          Effect = "Allow"
          Action = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
          # X-Ray offers no resource-level permissions for these two actions, so "*" is the
          # narrowest resource AWS accepts.
          Resource = ["*"]
        },
      ],
      [
        for statement in var.policy_statements : {
          Sid      = statement.sid
          Effect   = "Allow"
          Action   = statement.actions
          Resource = statement.resources
        }
      ],
    )
  })
}

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158:CloudWatch Logs encrypts every log group at rest; handlers never log secrets, IPs or presigned URLs, so a customer managed key adds cost without protecting anything more.
  #checkov:skip=CKV_AWS_338:Retention is a per-environment setting (local.settings.log_retention_days); a year of logs for short-lived sessions is cost without use.
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
  tags              = merge({ Service = var.service }, var.tags)
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:API Gateway invokes synchronously and returns errors to the caller; S3 events to the realtime function are idempotent and failures raise the error-rate alarm.
  #checkov:skip=CKV_AWS_117:The functions reach only AWS public endpoints (DynamoDB, S3, SSM, API Gateway) and scanned public websites; a VPC would add NAT cost and cold-start latency for no isolation gain.
  #checkov:skip=CKV_AWS_173:Environment variables hold only resource names and limits; the one secret (the scanner API key) lives in an SSM SecureString.
  #checkov:skip=CKV_AWS_272:Artifacts are built and hashed by build.py in CI (dist/manifest.json); code signing needs an AWS Signer profile this stack does not manage.
  function_name                  = var.function_name
  role                           = aws_iam_role.this.arn
  package_type                   = var.package_type
  filename                       = var.package_type == "Zip" ? var.zip_path : null
  source_code_hash               = var.package_type == "Zip" ? var.source_code_hash : null
  handler                        = var.package_type == "Zip" ? var.handler : null
  runtime                        = var.package_type == "Zip" ? var.runtime : null
  image_uri                      = var.package_type == "Zip" ? null : var.image_uri
  memory_size                    = var.memory_mb
  timeout                        = var.timeout_seconds
  reserved_concurrent_executions = var.reserved_concurrency
  publish                        = var.publish
  architectures                  = ["x86_64"]

  dynamic "image_config" {
    for_each = var.package_type == "Zip" ? [] : [var.handler]
    content {
      command = [image_config.value]
    }
  }

  environment {
    variables = var.environment
  }

  logging_config {
    log_format = "Text" # handlers already write one JSON object per line
    log_group  = aws_cloudwatch_log_group.this.name
  }

  tracing_config {
    mode = "Active"
  }

  tags = merge({ Service = var.service }, var.tags)

  # The role needs its log permissions before the first invocation can write.
  depends_on = [aws_iam_role_policy.this]

  lifecycle {
    precondition {
      condition     = var.package_type == "Zip" ? var.zip_path != null && var.source_code_hash != null : var.image_uri != null
      error_message = "A Zip function needs zip_path and source_code_hash (run `python build.py`); an Image function needs image_uri."
    }
  }
}

resource "aws_lambda_alias" "this" {
  count = var.alias_name == null ? 0 : 1

  name          = var.alias_name
  description   = "Version that serves traffic; moving it back is an instant rollback."
  function_name = aws_lambda_function.this.function_name
  # The newest published version, unless a rollback pinned an older one: then every apply keeps
  # the pin instead of undoing the rollback.
  function_version = var.pinned_version == null ? aws_lambda_function.this.version : var.pinned_version

  lifecycle {
    precondition {
      condition     = var.pinned_version == null || var.publish
      error_message = "pinned_version needs publish = true: only published versions can be pinned."
    }
  }
}
