output "function_name" {
  description = "Lambda function name."
  value       = aws_lambda_function.this.function_name
}

output "arn" {
  description = "Unqualified function ARN."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "ARN API Gateway uses to invoke the function: the alias when there is one, else $LATEST."
  value       = var.alias_name == null ? aws_lambda_function.this.invoke_arn : aws_lambda_alias.this[0].invoke_arn
}

output "alias_arn" {
  description = "ARN of the alias (the qualified ARN S3 notifications and permissions name), or the unqualified ARN without one."
  value       = var.alias_name == null ? aws_lambda_function.this.arn : aws_lambda_alias.this[0].arn
}

output "log_group_name" {
  description = "The function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "qualifier" {
  description = "Alias name API Gateway invokes, or null for the unqualified function."
  value       = var.alias_name
}
