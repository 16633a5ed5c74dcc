# One on-demand DynamoDB table with string keys (a partition key, optionally a sort key),
# optional GSIs and TTL.
resource "aws_dynamodb_table" "this" {
  #checkov:skip=CKV_AWS_119:Encrypted at rest with the AWS managed key (aws/dynamodb); the items are short-lived session state, so a customer managed key would add cost and key-policy upkeep without changing who can read them.
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = var.hash_key
  range_key                   = var.range_key
  deletion_protection_enabled = var.deletion_protection

  # The offline evaluator (tfparse) renders only the first dynamic block of a resource, so the
  # indexes come first and every other block that it must see is static. The index keys'
  # attribute blocks (and the sort key's) follow; offline, the model derives them from the
  # indexes and the sort key (all type S).
  attribute {
    name = var.hash_key
    type = "S"
  }

  dynamic "global_secondary_index" {
    for_each = var.global_secondary_indexes
    content {
      name            = global_secondary_index.key
      hash_key        = global_secondary_index.value.hash_key
      projection_type = global_secondary_index.value.projection_type
    }
  }

  dynamic "attribute" {
    for_each = toset(concat(var.range_key == null ? [] : [var.range_key], [for index in values(var.global_secondary_indexes) : index.hash_key]))
    content {
      name = attribute.value
      type = "S"
    }
  }

  ttl {
    attribute_name = var.ttl_attribute # provider rule: set only when enabled
    enabled        = var.ttl_attribute != null
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled = true
  }

  tags = var.tags
}
