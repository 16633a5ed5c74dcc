output "name" {
  description = "Table name."
  value       = aws_dynamodb_table.this.name
}

output "arn" {
  description = "Table ARN."
  value       = aws_dynamodb_table.this.arn
}

output "index_arns" {
  description = "ARNs of the table's GSIs (table ARN + /index/NAME), for IAM statements that query them."
  value       = [for name in keys(var.global_secondary_indexes) : "${aws_dynamodb_table.this.arn}/index/${name}"]
}
