# The QR demo pages (web/) on AWS: a private bucket behind CloudFront. The same files `make up`
# serves locally; only config.js differs, generated here from the APIs' URLs. Off with
# -var static_site=false where the account's CloudFront is not verified yet.
module "static_site" {
  source = "./modules/static_site"
  count  = var.static_site ? 1 : 0

  bucket_name = local.web_bucket_name
  source_dir  = "${path.root}/../web"
  # The one template of config.js: `make up` renders the same file with its local URLs.
  config_js = templatefile("${path.module}/templates/config.js.tftpl", {
    config = jsonencode({ apiUrl = module.http_api.api_endpoint, wsUrl = module.websocket_api.url })
  })
  wait_for_deployment = var.cloudfront_wait_for_deployment
  force_destroy       = local.settings.force_destroy
  tags                = { Service = "web" }
}

output "web_url" {
  description = "https URL of the QR demo pages (CloudFront); null with static_site = false."
  value       = one(module.static_site[*].url)
}
