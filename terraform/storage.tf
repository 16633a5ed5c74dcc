module "uploads_bucket" {
  source = "./modules/uploads_bucket"

  bucket_name          = local.uploads_bucket_name
  upload_prefix        = local.upload_prefix
  cors_allowed_origins = local.web_origins
  # Attributes, not the module: see apis.tf.
  notification_function = {
    function_name = module.function[local.events_service].function_name
    arn           = module.function[local.events_service].alias_arn
    qualifier     = module.function[local.events_service].qualifier
  }
  account_id    = local.account_id
  force_destroy = local.settings.force_destroy
  tags          = { Service = "sessions" }
}
