"""ECR images made with put_image and a Lambda role, for the push and rollback tests."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def put_image(ecr: Any, repository: str, tag: str) -> str:
    """Store an image manifest under `tag` (its layer differs per tag); returns the digest."""
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 1469,
            "digest": _digest(f"config-{tag}"),
        },
        "layers": [
            {
                "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                "size": 52_000_000,
                "digest": _digest(f"layer-{tag}"),
            }
        ],
    }
    image = ecr.put_image(
        repositoryName=repository, imageManifest=json.dumps(manifest), imageTag=tag
    )
    return image["image"]["imageId"]["imageDigest"]


def lambda_role(iam: Any, name: str) -> str:
    """An IAM role Lambda may assume, as functions need one; returns its ARN."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
