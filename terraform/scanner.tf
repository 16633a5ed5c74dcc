# The scanner's image repository and its two SSM parameters (image tag, API key).
module "ecr" {
  source = "./modules/ecr"

  name         = local.ecr_repository_name
  force_delete = local.settings.force_destroy
  tags         = { Service = "scanner" }
}

locals {
  ssm_prefix          = "/${var.name_prefix}${var.project}/${local.env}/scanner"
  image_tag_parameter = "${local.ssm_prefix}/image/tag"
  # What the image-tag parameter holds until `build.py push` (make deploy, make push) or
  # `make rollback` records a tag that is in ECR; not a valid image tag, so never a real one.
  no_image_yet = "(none)"
}

# The image tag the scanner runs. Terraform only creates it, holding no tag yet; afterwards
# `build.py push` and `make rollback` write it (each only after checking the tag is in ECR) and
# Terraform follows the live value, so an apply after a rollback changes nothing.
resource "aws_ssm_parameter" "scanner_image_tag" {
  #checkov:skip=CKV2_AWS_34:An image tag is not a secret; it is plain String so deploy tooling can read it without KMS.
  name        = local.image_tag_parameter
  description = "Scanner image tag terraform apply deploys; set by build.py push/rollback"
  type        = "String"
  value       = local.no_image_yet
  tags        = { Service = "scanner" }

  lifecycle {
    # build.py push/rollback overwrite value (and description) with put-parameter --overwrite.
    ignore_changes = [value, description]
  }
}

# Read at plan time, and empty rather than an error before the parameter exists: so a plan of an
# environment without an image stops at the guard below instead of halfway through an apply.
data "aws_ssm_parameters_by_path" "scanner_image" {
  path = "${local.ssm_prefix}/image"
}

locals {
  ecr_repository_name = "${var.name_prefix}pixel-detector-${local.env}"
  recorded_tags = {
    for index, name in data.aws_ssm_parameters_by_path.scanner_image.names :
    name => nonsensitive(data.aws_ssm_parameters_by_path.scanner_image.values[index])
  }
  scanner_image_tag      = lookup(local.recorded_tags, local.image_tag_parameter, local.no_image_yet)
  scanner_image_recorded = local.scanner_image_tag != local.no_image_yet
}

# The function runs the image by digest, exactly as `make rollback` sets it (repository@digest),
# so Terraform and a rollback never disagree about the image of the same tag. The repository is
# named, not referenced, so the lookup happens at plan time.
data "aws_ecr_image" "scanner" {
  count = local.scanner_image_recorded ? 1 : 0

  repository_name = local.ecr_repository_name
  image_tag       = local.scanner_image_tag
}

locals {
  # Without a recorded tag the guard below stops the plan; the stand-in only keeps the plan
  # evaluating until it does.
  scanner_image_digest = one(data.aws_ecr_image.scanner[*].image_digest)
  scanner_image_uri    = local.scanner_image_recorded ? "${module.ecr.repository_url}@${local.scanner_image_digest}" : "${module.ecr.repository_url}:no-image-recorded"
}

# Holds nothing (so a new tag changes nothing here); it exists for its precondition.
resource "terraform_data" "scanner_image_guard" {
  lifecycle {
    precondition {
      condition     = !local.known_workspace || local.scanner_image_recorded
      error_message = "No scanner image is recorded for ${local.env}: ${local.image_tag_parameter} names no tag of ECR repository ${local.ecr_repository_name}, so the scanner function could not be created. Deploy the environment with its first image in one command: make deploy ENV=${local.env} TAG=v1.0.0 (re-run it after any failure). With an image already in ECR: make rollback ENV=${local.env} TAG=<tag>."
    }
  }
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
