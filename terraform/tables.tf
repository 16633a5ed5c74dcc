# The tables, keyed exactly as the handlers read and write them (DESIGN.md, "Tables"), by
# the suffix of their name: qrstack-dev-sessions, ... No null values in this map: the offline
# evaluator (tfparse) does not expand a for_each over a map holding one; absent keys default.
locals {
  tables = {
    sessions = {
      hash_key      = "sessionId"
      ttl_attribute = "expiresAt"
      indexes       = { "wsConnectionId-index" = { hash_key = "wsConnectionId", projection_type = "ALL" } }
      service       = "sessions"
    }
    counters = {
      hash_key = "counter_id"
      indexes  = {}
      service  = "counter"
    }
    scan-cache = {
      hash_key      = "domain"
      ttl_attribute = "expiresAt"
      indexes       = {}
      service       = "scanner"
    }
    # Batch scans (batch.tf): one item per batch, one per site in the order given.
    scan-batches = {
      hash_key      = "batchId"
      ttl_attribute = "expiresAt"
      indexes       = {}
      service       = "scanner"
    }
    scan-batch-items = {
      hash_key      = "batchId"
      range_key     = "position"
      ttl_attribute = "expiresAt"
      indexes       = {}
      service       = "scanner"
    }
    rate-limits = {
      hash_key      = "key"
      ttl_attribute = "expiresAt"
      indexes       = {}
      service       = var.project # shared by the sessions and scanner functions
    }
  }
}

module "table" {
  source   = "./modules/table"
  for_each = local.tables

  name                     = "${local.name}-${each.key}"
  hash_key                 = each.value.hash_key
  range_key                = try(each.value.range_key, null)
  ttl_attribute            = try(each.value.ttl_attribute, null)
  global_secondary_indexes = each.value.indexes
  point_in_time_recovery   = local.settings.point_in_time_recovery
  deletion_protection      = local.settings.deletion_protection
  tags                     = { Service = each.value.service }
}
