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

output "version" {
  description = "Latest published version (\"$LATEST\" when publish is false)."
  value       = aws_lambda_function.this.version
}

output "role_name" {
  description = "Name of the function's IAM role."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the function's IAM role."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the function."
  value       = aws_cloudwatch_log_group.this.name
}

output "alarm_arns" {
  description = "ARNs of the error-rate, p95-duration and throttle alarms."
  value       = concat([aws_cloudwatch_metric_alarm.error_rate.arn], [for alarm in aws_cloudwatch_metric_alarm.metric : alarm.arn])
}
