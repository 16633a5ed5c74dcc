module "http_api" {
  source = "./modules/http_api"

  name = "${local.name}-http"
  # One integration per function that serves a route, each invoking its function's alias "live".
  integrations         = { for service in distinct(values(local.http_routes)) : service => module.function[service] }
  routes               = local.http_routes
  cors_allowed_origins = local.web_origins
  stage = {
    throttling_rate_limit  = local.settings.http_throttling.rate_limit
    throttling_burst_limit = local.settings.http_throttling.burst_limit
    log_retention_days     = local.settings.log_retention_days
  }
}

module "websocket_api" {
  source = "./modules/websocket_api"

  name      = "${local.name}-ws"
  arn_scope = { partition = local.partition, region = var.region, account_id = local.account_id }
  # Attributes, not the module: the offline evaluator (tfparse) cannot follow a whole module
  # that also reads this one's outputs.
  function = {
    function_name = module.function[local.events_service].function_name
    invoke_arn    = module.function[local.events_service].invoke_arn
    qualifier     = module.function[local.events_service].qualifier
  }
  route_keys = local.websocket_routes
  stage = {
    name                   = local.env
    throttling_rate_limit  = local.settings.websocket_throttling.rate_limit
    throttling_burst_limit = local.settings.websocket_throttling.burst_limit
    access_logs            = var.websocket_access_logs
    log_retention_days     = local.settings.log_retention_days
  }
  tags = { Service = "realtime" }
}
