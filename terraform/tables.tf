# The four tables, keyed exactly as the handlers read and write them (DESIGN.md, "Tables").
module "sessions_table" {
  source = "./modules/table"

  name          = "${local.name}-sessions"
  hash_key      = "sessionId"
  ttl_attribute = "expiresAt"
  global_secondary_indexes = {
    "wsConnectionId-index" = { hash_key = "wsConnectionId", projection_type = "ALL" }
  }
  point_in_time_recovery = local.settings.point_in_time_recovery
  deletion_protection    = local.settings.deletion_protection
  tags                   = { Service = "sessions" }
}

module "counters_table" {
  source = "./modules/table"

  name                   = "${local.name}-counters"
  hash_key               = "counter_id"
  point_in_time_recovery = local.settings.point_in_time_recovery
  deletion_protection    = local.settings.deletion_protection
  tags                   = { Service = "counter" }
}

module "scan_cache_table" {
  source = "./modules/table"

  name                   = "${local.name}-scan-cache"
  hash_key               = "domain"
  ttl_attribute          = "expiresAt"
  point_in_time_recovery = local.settings.point_in_time_recovery
  deletion_protection    = local.settings.deletion_protection
  tags                   = { Service = "scanner" }
}

module "rate_limits_table" {
  source = "./modules/table"

  name                   = "${local.name}-rate-limits"
  hash_key               = "key"
  ttl_attribute          = "expiresAt"
  point_in_time_recovery = local.settings.point_in_time_recovery
  deletion_protection    = local.settings.deletion_protection
}
