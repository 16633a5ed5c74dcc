module "monitoring" {
  source = "./modules/monitoring"

  name                        = local.name
  dashboard_name              = "${local.name}${local.region_suffix}"
  region                      = var.region
  alarm_email                 = var.alarm_email
  function_names              = [for function in module.function : function.function_name]
  function_alarm_arns         = flatten([for function in module.function : function.alarm_arns])
  http_api_id                 = module.http_api.api_id
  http_api_stage              = module.http_api.stage_name
  http_5xx_threshold          = local.settings.http_5xx_threshold
  table_names                 = [for table in module.table : table.name]
  dynamodb_throttle_threshold = local.settings.dynamodb_throttle_threshold
}
