module "uploads_bucket" {
  source = "./modules/uploads_bucket"

  # Bucket names are global: the account id keeps two accounts' dev stacks apart.
  bucket_name                = "${local.name}-uploads-${local.account_id}"
  upload_prefix              = local.upload_prefix
  cors_allowed_origins       = local.web_origins
  notification_function_arn  = module.realtime_function.arn
  notification_function_name = module.realtime_function.function_name
  account_id                 = local.account_id
  force_destroy              = local.settings.force_destroy
  tags                       = { Service = "sessions" }
}
