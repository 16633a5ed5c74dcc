# The four Lambda functions. Each one's environment is exactly SETTINGS.deployed_names of its
# handlers/<service>/settings.py, and each IAM statement names the ARNs it may touch.
locals {
  common_env = {
    LOG_LEVEL         = local.settings.log_level
    DEBUG             = "false"
    METRICS_NAMESPACE = local.metrics_namespace
  }
  http_env = {
    ALLOWED_ORIGINS = join(",", local.web_origins)
  }
  rate_limit_env = {
    RATE_LIMIT_TABLE_NAME = module.rate_limits_table.name
    IP_LIMIT              = tostring(local.settings.ip_limit)
    GLOBAL_LIMIT          = tostring(local.settings.global_limit)
    IP_WHITELIST          = join(",", var.ip_allow_list)
  }

  rate_limit_statement = {
    sid       = "RateLimitCounters"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [module.rate_limits_table.arn]
  }

  functions = {
    sessions = {
      function_name = "qr-upload-http-api"
      package_type  = "Zip"
      environment = merge(local.common_env, local.http_env, local.rate_limit_env, {
        SESSIONS_TABLE_NAME = module.sessions_table.name
        UPLOAD_BUCKET_NAME  = module.uploads_bucket.name
        MAX_UPLOAD_BYTES    = tostring(10 * 1024 * 1024)
      })
      policy_statements = [
        {
          sid       = "Sessions"
          actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
          resources = [module.sessions_table.arn]
        },
        {
          # PutObject signs the phone's presigned POST; GetObject signs the desktop's download URL.
          sid       = "SessionUploads"
          actions   = ["s3:PutObject", "s3:GetObject"]
          resources = [module.uploads_bucket.upload_objects_arn]
        },
        local.rate_limit_statement,
      ]
    }

    realtime = {
      function_name = "qr-upload-websocket-event"
      package_type  = "Zip"
      environment = merge(local.common_env, {
        SESSIONS_TABLE_NAME = module.sessions_table.name
        WS_API_ENDPOINT     = module.websocket_api.management_endpoint
      })
      policy_statements = [
        {
          sid       = "Sessions"
          actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
          resources = [module.sessions_table.arn]
        },
        {
          # $disconnect finds the session by connection id through the GSI instead of a Scan.
          sid       = "SessionsByConnection"
          actions   = ["dynamodb:Query"]
          resources = module.sessions_table.index_arns
        },
        {
          sid       = "SessionUploads"
          actions   = ["s3:GetObject"]
          resources = [module.uploads_bucket.upload_objects_arn]
        },
        {
          sid       = "PushToConnections"
          actions   = ["execute-api:ManageConnections"]
          resources = [module.websocket_api.connections_arn]
        },
      ]
    }

    counter = {
      function_name = "visitor-counter"
      package_type  = "Zip"
      environment = merge(local.common_env, local.http_env, {
        COUNTERS_TABLE_NAME = module.counters_table.name
      })
      policy_statements = [
        {
          sid       = "Counters"
          actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
          resources = [module.counters_table.arn]
        },
      ]
    }

    scanner = {
      function_name = "pixel-detector"
      package_type  = "Image"
      environment = merge(local.common_env, local.http_env, local.rate_limit_env, {
        SCAN_CACHE_TABLE_NAME = module.scan_cache_table.name
        SCANNER_API_KEY_PARAM = aws_ssm_parameter.scanner_api_key.name
        # API Gateway HTTP APIs give up after 30 s, so a scan must finish well before that even
        # though the function itself may run 300 s.
        SCAN_TIMEOUT = tostring(local.settings.scan_timeout_seconds)
      })
      policy_statements = concat(
        [
          {
            sid       = "ScanCache"
            actions   = ["dynamodb:GetItem", "dynamodb:PutItem"]
            resources = [module.scan_cache_table.arn]
          },
          local.rate_limit_statement,
          {
            sid       = "ReadApiKey"
            actions   = ["ssm:GetParameter"]
            resources = [aws_ssm_parameter.scanner_api_key.arn]
          },
        ],
        # With the AWS managed aws/ssm key, its key policy already lets SSM decrypt for any
        # principal of the account; only a customer managed key needs an explicit grant.
        var.api_key_kms_key_arn == null ? [] : [
          {
            sid       = "DecryptApiKey"
            actions   = ["kms:Decrypt"]
            resources = [var.api_key_kms_key_arn]
          },
        ],
      )
    }
  }
}

module "sessions_function" {
  source = "./modules/function"

  function_name    = "${var.name_prefix}${local.functions.sessions.function_name}-${local.env}"
  service          = "sessions"
  package_type     = local.functions.sessions.package_type
  handler          = "handlers.sessions.app.lambda_handler"
  runtime          = "python3.12"
  zip_path         = "${local.artifacts_dir}/${local.functions.sessions.function_name}.zip"
  source_code_hash = try(local.manifest.functions[local.functions.sessions.function_name].base64_sha256, null)

  memory_mb            = local.settings.memory_mb.sessions
  timeout_seconds      = local.settings.timeout_seconds.sessions
  reserved_concurrency = local.settings.reserved_concurrency.sessions
  environment          = local.functions.sessions.environment
  policy_statements    = local.functions.sessions.policy_statements

  log_retention_days           = local.settings.log_retention_days
  alarm_topic_arn              = module.monitoring.topic_arn
  error_rate_threshold_percent = local.settings.error_rate_threshold_percent
  duration_p95_threshold_ms    = local.settings.duration_p95_threshold_ms.sessions
}

module "realtime_function" {
  source = "./modules/function"

  function_name    = "${var.name_prefix}${local.functions.realtime.function_name}-${local.env}"
  service          = "realtime"
  package_type     = local.functions.realtime.package_type
  handler          = "handlers.realtime.app.lambda_handler"
  runtime          = "python3.12"
  zip_path         = "${local.artifacts_dir}/${local.functions.realtime.function_name}.zip"
  source_code_hash = try(local.manifest.functions[local.functions.realtime.function_name].base64_sha256, null)

  memory_mb            = local.settings.memory_mb.realtime
  timeout_seconds      = local.settings.timeout_seconds.realtime
  reserved_concurrency = local.settings.reserved_concurrency.realtime
  environment          = local.functions.realtime.environment
  policy_statements    = local.functions.realtime.policy_statements

  log_retention_days           = local.settings.log_retention_days
  alarm_topic_arn              = module.monitoring.topic_arn
  error_rate_threshold_percent = local.settings.error_rate_threshold_percent
  duration_p95_threshold_ms    = local.settings.duration_p95_threshold_ms.realtime
}

module "counter_function" {
  source = "./modules/function"

  function_name    = "${var.name_prefix}${local.functions.counter.function_name}-${local.env}"
  service          = "counter"
  package_type     = local.functions.counter.package_type
  handler          = "handlers.counter.app.lambda_handler"
  runtime          = "python3.12"
  zip_path         = "${local.artifacts_dir}/${local.functions.counter.function_name}.zip"
  source_code_hash = try(local.manifest.functions[local.functions.counter.function_name].base64_sha256, null)

  memory_mb            = local.settings.memory_mb.counter
  timeout_seconds      = local.settings.timeout_seconds.counter
  reserved_concurrency = local.settings.reserved_concurrency.counter
  environment          = local.functions.counter.environment
  policy_statements    = local.functions.counter.policy_statements

  log_retention_days           = local.settings.log_retention_days
  alarm_topic_arn              = module.monitoring.topic_arn
  error_rate_threshold_percent = local.settings.error_rate_threshold_percent
  duration_p95_threshold_ms    = local.settings.duration_p95_threshold_ms.counter
}

module "scanner_function" {
  source = "./modules/function"

  function_name = "${var.name_prefix}${local.functions.scanner.function_name}-${local.env}"
  service       = "scanner"
  package_type  = local.functions.scanner.package_type
  handler       = "handlers.scanner.app.lambda_handler"
  image_uri     = local.scanner_image_uri

  memory_mb            = local.settings.memory_mb.scanner
  timeout_seconds      = local.settings.timeout_seconds.scanner
  reserved_concurrency = local.settings.reserved_concurrency.scanner
  environment          = local.functions.scanner.environment
  policy_statements    = local.functions.scanner.policy_statements

  # Versions are published behind the alias "live", which the HTTP API invokes: moving the
  # alias back is an instant rollback.
  publish    = true
  alias_name = "live"

  log_retention_days           = local.settings.log_retention_days
  alarm_topic_arn              = module.monitoring.topic_arn
  error_rate_threshold_percent = local.settings.error_rate_threshold_percent
  duration_p95_threshold_ms    = local.settings.duration_p95_threshold_ms.scanner
}
