module "uploads_bucket" {
  source = "./modules/uploads_bucket"

  bucket_name           = local.uploads_bucket_name
  upload_prefix         = local.upload_prefix
  cors_allowed_origins  = local.web_origins
  notification_function = module.function[local.events_service]
  account_id            = local.account_id
  force_destroy         = local.settings.force_destroy
  tags                  = { Service = "sessions" }
}
