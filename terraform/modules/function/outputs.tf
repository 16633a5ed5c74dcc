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

output "qualifier" {
  description = "Alias name API Gateway invokes, or null for the unqualified function."
  value       = var.alias_name
}
