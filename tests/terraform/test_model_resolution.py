"""The model resolves what tfparse leaves as resource ids: names, ARNs, and aliases to functions."""

from __future__ import annotations

from pathlib import Path

from terraform_model.resources import Resources

FUNCTION_ID = "11111111-1111-4111-8111-111111111111"
ALIAS_ID = "22222222-2222-4222-8222-222222222222"


def resources() -> Resources:
    def meta(path: str) -> dict:
        return {"path": path, "filename": "main.tf", "type": "resource"}

    raw = {
        "aws_lambda_function": [
            {"id": FUNCTION_ID, "function_name": "events-dev", "__tfmeta": meta("fn.events")}
        ],
        "aws_lambda_alias": [
            {
                "id": ALIAS_ID,
                "name": "live",
                "function_name": FUNCTION_ID,
                "__tfmeta": meta("alias.live"),
            }
        ],
        "provider": [{"region": "eu-west-1", "__tfmeta": meta("provider.aws")}],
    }
    return Resources(raw, "dev", Path("."))


def test_a_reference_to_an_alias_names_the_function_it_invokes():
    assert resources().function_name_of(ALIAS_ID) == "events-dev"


def test_a_reference_to_a_function_names_it():
    assert resources().function_name_of(FUNCTION_ID) == "events-dev"


def test_ids_inside_strings_become_arns_in_policies():
    arn = resources().resolve(f"{FUNCTION_ID}:*", as_arn=True)
    assert arn == "arn:aws:lambda:eu-west-1::function:events-dev:*"
