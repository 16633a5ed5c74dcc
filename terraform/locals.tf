locals {
  env         = terraform.workspace
  name_prefix = var.name_prefix
  # Stem of table, bucket, API and dashboard names: "qrstack-dev", or "alice-qrstack-dev".
  name = "${var.name_prefix}${var.project}-${local.env}"
  # IAM roles, CloudFront origin access controls and dashboards are account-wide and bucket names
  # global: those names end in the region too, so one environment can live in two regions of an
  # account ("qr-upload-http-api-dev-eu-west-1").
  region_suffix = "-${var.region}"

  tags = {
    Project     = var.project
    Environment = local.env
    Service     = var.project
    ManagedBy   = "terraform"
  }

  account_id = var.account_id != null ? var.account_id : data.aws_caller_identity.current.account_id
  # Bucket names are global: the account id keeps two accounts' stacks apart.
  uploads_bucket_name = "${local.name}-uploads-${local.account_id}${local.region_suffix}"
  web_bucket_name     = "${local.name}-web-${local.account_id}${local.region_suffix}"
  web_origins         = var.web_origins
  # Derived from the region rather than read from data.aws_partition so ARNs built from it
  # also evaluate offline.
  partition = startswith(var.region, "cn-") ? "aws-cn" : startswith(var.region, "us-gov-") ? "aws-us-gov" : "aws"

  # ZIP artifacts and their hashes, written by build.py. The path is relative to this directory,
  # so the state does not depend on where the checkout lives. try() keeps the configuration
  # evaluable without dist/; the function module then refuses to plan a ZIP without a hash.
  artifacts_dir = coalesce(var.artifacts_dir, "${path.root}/../dist")
  manifest      = try(jsondecode(file("${local.artifacts_dir}/manifest.json")), { functions = {} })

  # Routes the handlers declare (app.routes / app.websocket_routes); tests/terraform checks
  # both directions, so a route added in code and forgotten here (or the reverse) fails CI.
  http_routes = {
    "POST /sessions"            = "sessions"
    "GET /upload-url"           = "sessions"
    "GET /sessions/{sessionId}" = "sessions"
    "POST /log"                 = "sessions"
    "GET /counter"              = "counter"
    "GET /health"               = "counter"
    "POST /scan"                = "scanner"
    "POST /scans"               = "scanner"
    "GET /scans/{batchId}"      = "scanner"
    # One route per report: API Gateway matches a literal file name after the parameter.
    "GET /scans/{batchId}/results.csv"  = "scanner"
    "GET /scans/{batchId}/results.json" = "scanner"
  }
  websocket_routes = ["$connect", "$disconnect"]
  # The service behind the WebSocket API, which the upload bucket's events notify too.
  events_service = "realtime"

  upload_prefix     = "session-uploads/"
  metrics_namespace = "QrStack"
}
