module "http_api" {
  source = "./modules/http_api"

  name = "${local.name}-http"
  integrations = {
    sessions = {
      function_name = module.sessions_function.function_name
      invoke_arn    = module.sessions_function.invoke_arn
    }
    counter = {
      function_name = module.counter_function.function_name
      invoke_arn    = module.counter_function.invoke_arn
    }
    scanner = {
      function_name = module.scanner_function.function_name
      invoke_arn    = module.scanner_function.invoke_arn # of the alias "live"
      qualifier     = module.scanner_function.qualifier
    }
  }
  routes                 = local.http_routes
  cors_allowed_origins   = local.web_origins
  throttling_rate_limit  = local.settings.http_throttling.rate_limit
  throttling_burst_limit = local.settings.http_throttling.burst_limit
  log_retention_days     = local.settings.log_retention_days
}

module "websocket_api" {
  source = "./modules/websocket_api"

  name                   = "${local.name}-ws"
  stage_name             = local.env
  region                 = var.region
  account_id             = local.account_id
  partition              = local.partition
  function_name          = module.realtime_function.function_name
  function_invoke_arn    = module.realtime_function.invoke_arn
  route_keys             = local.websocket_routes
  throttling_rate_limit  = local.settings.websocket_throttling.rate_limit
  throttling_burst_limit = local.settings.websocket_throttling.burst_limit
  access_logs            = var.websocket_access_logs
  log_retention_days     = local.settings.log_retention_days
  tags                   = { Service = "realtime" }
}
