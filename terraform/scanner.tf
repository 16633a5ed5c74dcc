# The scanner's image repository and its two SSM parameters (image tag, API key).
module "ecr" {
  source = "./modules/ecr"

  name         = "${var.name_prefix}pixel-detector-${local.env}"
  force_delete = local.settings.force_destroy
  tags         = { Service = "scanner" }
}

locals {
  ssm_prefix = "/${var.name_prefix}${var.project}/${local.env}/scanner"
}

# The image tag the scanner runs. Terraform only creates it; afterwards `build.py push` and
# `make rollback` write it and Terraform follows the live value, so an apply after a rollback
# changes nothing.
resource "aws_ssm_parameter" "scanner_image_tag" {
  #checkov:skip=CKV2_AWS_34:An image tag is not a secret; it is plain String so deploy tooling can read it without KMS.
  name        = "${local.ssm_prefix}/image-tag"
  description = "Scanner image tag terraform apply deploys; set by build.py push/rollback"
  type        = "String"
  value       = var.scanner_image_tag
  tags        = { Service = "scanner" }

  lifecycle {
    # build.py push/rollback overwrite value (and description) with put-parameter --overwrite.
    ignore_changes = [value, description]
  }
}

data "aws_ssm_parameter" "scanner_image_tag" {
  name = aws_ssm_parameter.scanner_image_tag.name

  # Read after the parameter exists (first apply), then the live value on every plan.
  depends_on = [aws_ssm_parameter.scanner_image_tag]
}

# The function runs the image by digest, exactly as `make rollback` sets it (repository@digest),
# so Terraform and a rollback never disagree about the image of the same tag.
data "aws_ecr_image" "scanner" {
  repository_name = module.ecr.name
  image_tag       = local.scanner_image_tag
}

locals {
  scanner_image_tag = data.aws_ssm_parameter.scanner_image_tag.insecure_value
  scanner_image_uri = "${module.ecr.repository_url}@${data.aws_ecr_image.scanner.image_digest}"
}

# The API key POST /scan requires. Its value never lives in code or state history: Terraform
# creates it with a placeholder and ignores the value; an operator sets the real key with
#   aws ssm put-parameter --name <name> --type SecureString --value <key> --overwrite
resource "aws_ssm_parameter" "scanner_api_key" {
  #checkov:skip=CKV_AWS_337:Encrypted with aws/ssm unless var.api_key_kms_key_arn names a customer managed key; the default keeps a fresh account deployable without a key policy.
  name        = "${local.ssm_prefix}/api-key"
  description = "API key clients send as x-api-key to POST /scan. Set with aws ssm put-parameter --overwrite."
  type        = "SecureString"
  key_id      = var.api_key_kms_key_arn
  value       = "unset-replace-with-aws-ssm-put-parameter"
  tags        = { Service = "scanner" }

  lifecycle {
    ignore_changes = [value]
  }
}
