"""The committed OpenAPI contract (docs/openapi.yaml): it matches the code, and every operation
documents what a client needs (a description, examples, its error responses)."""

from pathlib import Path

import pytest
import yaml
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "openapi.yaml"
METHODS = ("get", "put", "post", "patch", "delete")
WRITES = ("put", "post", "patch")
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def generated() -> bytes:
    """The schema as `make schema` writes it, generated from the code in this process."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return OpenApiYamlRenderer().render(schema, renderer_context={})


@pytest.fixture(scope="module")
def operations(generated: bytes) -> list[tuple[str, str, dict]]:
    paths = yaml.safe_load(generated)["paths"]
    return [
        (method.upper(), path, operation)
        for path, item in paths.items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _has_example(media: dict) -> bool:
    return bool(media.get("examples") or "example" in media)


def _gaps(method: str, path: str, operation: dict) -> list[str]:
    """What the operation fails to document, as readable strings."""
    gaps = []
    if not operation.get("description"):
        gaps.append("no description")
    for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
        if not _has_example(media):
            gaps.append(f"no request example ({media_type})")
    responses = operation["responses"]
    for status, response in responses.items():
        if not response.get("description"):
            gaps.append(f"{status}: no description")
        for media_type, media in response.get("content", {}).items():
            error = int(status) >= 400
            if error and media_type != PROBLEM:
                gaps.append(f"{status}: {media_type} instead of {PROBLEM}")
            if (error or media_type == "application/json") and not _has_example(media):
                gaps.append(f"{status}: no example ({media_type})")
    required = {"429"}
    if {} not in operation.get("security", [{}]):
        required |= {"401", "403"}
    if "{" in path:
        required.add("404")
    if method.lower() in WRITES:
        required.add("400")
    gaps += [f"{status} not documented" for status in sorted(required - set(responses))]
    return gaps


def test_committed_schema_matches_the_code(generated: bytes):
    assert COMMITTED.exists(), "docs/openapi.yaml is missing: run `make schema`"
    assert COMMITTED.read_bytes() == generated, (
        "docs/openapi.yaml differs from the schema the code generates: run `make schema` and "
        "commit the result"
    )


def test_every_operation_is_fully_documented(operations: list[tuple[str, str, dict]]):
    assert len(operations) > 50
    gaps = [
        f"{method} {path}: {gap}"
        for method, path, operation in operations
        for gap in _gaps(method, path, operation)
    ]
    assert not gaps, "\n".join(gaps)


def test_problem_examples_carry_their_status_and_type(operations: list[tuple[str, str, dict]]):
    for method, path, operation in operations:
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            for example in response["content"][PROBLEM]["examples"].values():
                value = example["value"]
                assert value["status"] == int(status), (method, path, status)
                assert value["type"].startswith("/api/problems/"), (method, path, status)
                assert ("errors" in value) == (status == "400"), (method, path, status)


def test_app_sign_in_is_documented_and_linked(generated: bytes):
    schema = yaml.safe_load(generated)
    token = schema["components"]["securitySchemes"]["XSessionTokenAuth"]
    assert token == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Session-Token",
        "description": token["description"],
    }
    assert "/_allauth/app/v1/auth/login" in token["description"]
    assert schema["externalDocs"]["url"] == "/_allauth/openapi.html"
    assert "/_allauth/openapi.yaml" in schema["info"]["description"]
    assert "X-Session-Token" in schema["info"]["description"]
