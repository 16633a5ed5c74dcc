"""Live: `terraform apply` of the real root against a moto server (pytest-terraform's runner).

Written for machines with terraform and the hashicorp/aws provider. The provider is never
downloaded from a test (tests talk to 127.0.0.1 only): it must already be in a plugin cache
(TF_PLUGIN_CACHE_DIR, ~/.terraform.d/plugin-cache or ~/.terraform.d/plugins), or the run must opt
in with QRSTACK_TF_LIVE=1 to let `terraform init` fetch it. Otherwise the test is skipped with
the reason.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import boto3
import pytest

from local.terraform_model import TERRAFORM_DIR

pytestmark = pytest.mark.terraform_live

ROOT = TERRAFORM_DIR.parent
WORKSPACE = "dev"
TAG = "v1.0.0"
REGION = "eu-west-1"
# moto's default account: the provider's allowed_account_ids check passes against moto's STS.
ACCOUNT_ID = "123456789012"
# Every service the root calls (module.static_site: cloudfront; the scanner tag parameter: ssm;
# data.aws_caller_identity: sts), each pointed at the moto server.
ENDPOINTS = ("apigatewayv2", "cloudfront", "cloudwatch", "dynamodb", "ecr", "iam", "lambda")
ENDPOINTS += ("logs", "s3", "sns", "ssm", "sts")
# CloudFront's managed policies by their published ids: moto has no cache or response headers
# policy lookups, so the module's data sources are switched off in the copy applied to moto.
STATIC_SITE_OVERRIDES = """
data "aws_cloudfront_cache_policy" "optimized" {
  count = 0
}

data "aws_cloudfront_response_headers_policy" "security" {
  count = 0
}

resource "aws_cloudfront_distribution" "this" {
  default_cache_behavior {
    target_origin_id           = "pages"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    response_headers_policy_id = "67f7725c-6f97-4210-82d7-5512b31e9d03"
  }
}
"""


def _provider_cached() -> bool:
    roots = [
        os.environ.get("TF_PLUGIN_CACHE_DIR", ""),
        "~/.terraform.d/plugin-cache",
        "~/.terraform.d/plugins",
        str(ROOT / ".tfcache"),
    ]
    for root in filter(None, roots):
        found = Path(root).expanduser() / "registry.terraform.io" / "hashicorp" / "aws"
        if any(found.glob("6.*")):
            return True
    return False


def _why_not_live() -> str | None:
    if shutil.which("terraform") is None:
        return "terraform is not installed"
    if not (_provider_cached() or os.environ.get("QRSTACK_TF_LIVE") == "1"):
        return (
            "the hashicorp/aws 6.x provider is in no local plugin cache and QRSTACK_TF_LIVE=1 "
            "is not set (tests never download it on their own)"
        )
    if not (ROOT / "dist" / "manifest.json").exists():
        return "dist/manifest.json is missing: run make build"
    return None


def _overrides(endpoint: str) -> str:
    endpoints = "\n".join(f'    {name} = "{endpoint}"' for name in ENDPOINTS)
    return f"""
terraform {{
  backend "local" {{}}
}}

provider "aws" {{
  region                      = "{REGION}"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true

  endpoints {{
{endpoints}
  }}
}}
"""


@pytest.fixture
def applied(request, tmp_path, monkeypatch):
    """The root applied to moto in workspace dev; destroyed afterwards."""
    reason = _why_not_live()
    if reason:
        pytest.skip(reason)
    from pytest_terraform.tf import TerraformRunner

    moto_server = request.getfixturevalue("moto_server")

    module = tmp_path / "root"
    shutil.copytree(
        TERRAFORM_DIR, module, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*")
    )
    # Override files replace the S3 backend and point the provider at moto.
    (module / "live_override.tf").write_text(_overrides(moto_server))
    (module / "modules" / "static_site" / "live_override.tf").write_text(STATIC_SITE_OVERRIDES)
    # web.tf uploads ${path.root}/../web: the pages sit beside the copy as beside terraform/.
    (tmp_path / "web").symlink_to(ROOT / "web")
    (module / "terraform.tfvars").write_text(
        f'artifacts_dir = "{ROOT / "dist"}"\n'
        f'account_id = "{ACCOUNT_ID}"\n'
        f'region = "{REGION}"\n'
        f'scanner_image_tag = "{TAG}"\n'
    )
    # A local-backend workspace exists once its state directory does.
    (module / "terraform.tfstate.d" / WORKSPACE).mkdir(parents=True)
    monkeypatch.setenv("TF_WORKSPACE", WORKSPACE)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")

    work = tmp_path / "work"
    work.mkdir()
    state = module / "terraform.tfstate.d" / WORKSPACE / "terraform.tfstate"
    runner = TerraformRunner(
        str(work), state_path=str(state), module_dir=str(module), tf_bin="terraform"
    )
    runner.init()
    try:
        # As on a fresh account: repository and tag parameter first, then the image, then all.
        targets = ["terraform_data.workspace_guard", "module.ecr"]
        targets.append("aws_ssm_parameter.scanner_image_tag")
        runner._run_cmd(
            ["terraform", "apply", "-input=false", "-no-color", "-auto-approve", f"-state={state}"]
            + [f"-target={t}" for t in targets]
        )
        _push_fake_image(moto_server, f"pixel-detector-{WORKSPACE}", TAG)
        yield runner.apply()
    finally:
        runner.destroy()


def _push_fake_image(endpoint: str, repository: str, tag: str) -> None:
    """An image manifest in moto's ECR, so the scanner's image lookup finds the tag."""
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 2,
            "digest": "sha256:" + "0" * 64,
        },
        "layers": [],
    }
    ecr = boto3.client("ecr", region_name=REGION, endpoint_url=endpoint)
    ecr.put_image(repositoryName=repository, imageManifest=json.dumps(manifest), imageTag=tag)


def test_apply_creates_the_tables_and_functions_the_offline_model_predicts(applied, moto_server):
    from local import terraform_model

    expected = terraform_model.load(WORKSPACE, account_id=ACCOUNT_ID, variables={"region": REGION})
    dynamodb = boto3.client("dynamodb", region_name=REGION, endpoint_url=moto_server)
    lambdas = boto3.client("lambda", region_name=REGION, endpoint_url=moto_server)

    assert set(expected.tables) <= set(dynamodb.list_tables()["TableNames"])
    for function in expected.functions.values():
        deployed = lambdas.get_function(FunctionName=function.name)["Configuration"]
        assert deployed["MemorySize"] == function.memory_mb
        assert set(deployed["Environment"]["Variables"]) == set(function.environment)
