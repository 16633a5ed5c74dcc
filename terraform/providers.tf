provider "aws" {
  region = var.region

  # A state of one account applied with credentials of another fails here, not half-way.
  allowed_account_ids = var.account_id == null ? null : [var.account_id]

  # Every taggable resource carries these, so costs can be split per project, environment and
  # service. Modules override Service with the service that owns the resource.
  default_tags {
    tags = local.tags
  }
}
