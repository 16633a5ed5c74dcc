module "monitoring" {
  source = "./modules/monitoring"

  name                        = local.name
  region                      = var.region
  alarm_email                 = var.alarm_email
  function_names              = [module.sessions_function.function_name, module.realtime_function.function_name, module.counter_function.function_name, module.scanner_function.function_name]
  function_alarm_arns         = concat(module.sessions_function.alarm_arns, module.realtime_function.alarm_arns, module.counter_function.alarm_arns, module.scanner_function.alarm_arns)
  http_api_id                 = module.http_api.api_id
  http_api_stage              = module.http_api.stage_name
  http_5xx_threshold          = local.settings.http_5xx_threshold
  table_names                 = [module.sessions_table.name, module.counters_table.name, module.scan_cache_table.name, module.rate_limits_table.name]
  dynamodb_throttle_threshold = local.settings.dynamodb_throttle_threshold
}
