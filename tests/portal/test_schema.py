import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_and_documents_problem_errors(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    me = schema["paths"]["/api/v1/me/"]["get"]["responses"]
    for status in ("401", "403", "429"):
        assert "application/problem+json" in me[status]["content"], status
    assert "Problem" in schema["components"]["schemas"]


def test_api_docs_use_local_assets_and_no_inline_script(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html
    import re

    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, tag
