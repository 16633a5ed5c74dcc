# The four Lambda functions, as data: one entry per handlers/<service> folder, and one module
# call over them. Each one's environment is exactly SETTINGS.deployed_names of its
# handlers/<service>/settings.py, and each IAM statement names the ARNs it may touch.
locals {
  # handlers/<service> folder => FUNCTION_NAME in its settings.py (and the ZIP's name in dist/)
  function_base_names = {
    sessions = "qr-upload-http-api"
    realtime = "qr-upload-websocket-event"
    counter  = "visitor-counter"
    scanner  = "pixel-detector"
  }

  common_env = {
    LOG_LEVEL         = local.settings.log_level
    DEBUG             = "false"
    METRICS_NAMESPACE = local.metrics_namespace
  }
  http_env = {
    ALLOWED_ORIGINS = join(",", local.web_origins)
  }
  rate_limit_env = {
    RATE_LIMIT_TABLE_NAME = module.table["rate-limits"].name
    IP_LIMIT              = tostring(local.settings.ip_limit)
    GLOBAL_LIMIT          = tostring(local.settings.global_limit)
    IP_WHITELIST          = join(",", var.ip_allow_list)
  }

  rate_limit_statement = {
    sid       = "RateLimitCounters"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [module.table["rate-limits"].arn]
  }

  functions = {
    sessions = {
      package_type = "Zip"
      alias_name   = null
      environment = merge(local.common_env, local.http_env, local.rate_limit_env, {
        SESSIONS_TABLE_NAME = module.table["sessions"].name
        UPLOAD_BUCKET_NAME  = module.uploads_bucket.name
        MAX_UPLOAD_BYTES    = tostring(10 * 1024 * 1024)
      })
      policy_statements = [
        {
          sid       = "Sessions"
          actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
          resources = [module.table["sessions"].arn]
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
      package_type = "Zip"
      alias_name   = null
      environment = merge(local.common_env, {
        SESSIONS_TABLE_NAME = module.table["sessions"].name
        WS_API_ENDPOINT     = module.websocket_api.management_endpoint
      })
      policy_statements = [
        {
          sid       = "Sessions"
          actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
          resources = [module.table["sessions"].arn]
        },
        {
          # $disconnect finds the session by connection id through the GSI instead of a Scan.
          sid       = "SessionsByConnection"
          actions   = ["dynamodb:Query"]
          resources = module.table["sessions"].index_arns
        },
        {
          sid       = "PushToConnections"
          actions   = ["execute-api:ManageConnections"]
          resources = [module.websocket_api.connections_arn]
        },
      ]
    }

    counter = {
      package_type = "Zip"
      alias_name   = null
      environment = merge(local.common_env, local.http_env, {
        COUNTERS_TABLE_NAME = module.table["counters"].name
      })
      policy_statements = [
        {
          sid       = "Counters"
          actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
          resources = [module.table["counters"].arn]
        },
      ]
    }

    scanner = {
      package_type = "Image"
      # Versions are published behind the alias "live", which the HTTP API invokes: moving the
      # alias back is an instant rollback.
      alias_name = "live"
      environment = merge(local.common_env, local.http_env, local.rate_limit_env, local.batch_env, {
        SCAN_CACHE_TABLE_NAME = module.table["scan-cache"].name
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
            resources = [module.table["scan-cache"].arn]
          },
          local.rate_limit_statement,
          {
            sid       = "ReadApiKey"
            actions   = ["ssm:GetParameter"]
            resources = [aws_ssm_parameter.scanner_api_key.arn]
          },
        ],
        local.batch_statements,
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

  # Names come from constants only, so the guards can check them without creating anything.
  function_names = { for service, base in local.function_base_names : service => "${var.name_prefix}${base}-${local.env}" }
  role_names     = { for service, name in local.function_names : service => "${name}${local.region_suffix}" }
}

# for_each goes over the names, which are constants: the offline evaluator (tfparse) expands only
# a for_each it can evaluate, and the functions' environments hold resource attributes.
module "function" {
  source   = "./modules/function"
  for_each = local.function_base_names

  function_name    = local.function_names[each.key]
  role_name        = local.role_names[each.key]
  service          = each.key
  package_type     = local.functions[each.key].package_type
  handler          = "handlers.${each.key}.app.lambda_handler"
  runtime          = "python3.12"
  zip_path         = local.functions[each.key].package_type == "Zip" ? "${local.artifacts_dir}/${local.function_base_names[each.key]}.zip" : null
  source_code_hash = local.functions[each.key].package_type == "Zip" ? try(local.manifest.functions[local.function_base_names[each.key]].base64_sha256, null) : null
  image_uri        = local.functions[each.key].package_type == "Image" ? local.scanner_image_uri : null

  memory_mb            = local.settings.memory_mb[each.key]
  timeout_seconds      = local.settings.timeout_seconds[each.key]
  reserved_concurrency = local.reserved_concurrency[each.key]
  environment          = local.functions[each.key].environment
  policy_statements    = local.functions[each.key].policy_statements
  publish              = local.functions[each.key].alias_name != null
  alias_name           = local.functions[each.key].alias_name

  log_retention_days = local.settings.log_retention_days
}
