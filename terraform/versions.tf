terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }

  # Partial configuration: bucket, key, region, use_lockfile and workspace_key_prefix come from
  # `terraform init -backend-config=backend.hcl` (see backend.hcl.example), so no account
  # details live in the code. Each workspace (dev, staging, prod) gets its own state object.
  backend "s3" {}
}
