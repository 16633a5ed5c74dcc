module "uploads_bucket" {
  source = "./modules/uploads_bucket"

  bucket_name                = local.uploads_bucket_name
  upload_prefix              = local.upload_prefix
  cors_allowed_origins       = local.web_origins
  notification_function_arn  = module.function["realtime"].arn
  notification_function_name = module.function["realtime"].function_name
  account_id                 = local.account_id
  force_destroy              = local.settings.force_destroy
  tags                       = { Service = "sessions" }
}
