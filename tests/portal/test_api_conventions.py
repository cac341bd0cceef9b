import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, RequestFactory
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from portal.api import PageNumberPagination, validated
from portal.throttling import LearnerRateThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def test_unknown_api_url_is_problem_json_not_html(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == 404
    assert body["title"] == "Not Found"


def test_anonymous_gets_401_or_403_problem(client):
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"].startswith("/api/problems/")


def test_me_returns_own_user(client):
    user = UserFactory(timezone="Europe/Berlin")
    client.force_login(user)
    body = client.get("/api/v1/me/").json()
    assert body["username"] == user.username
    assert body["timezone"] == "Europe/Berlin"


def test_session_api_writes_need_csrf():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post("/api/v1/me/", {}, content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert "CSRF" in response.json()["detail"]


class _Input(serializers.Serializer):
    minutes = serializers.IntegerField(min_value=1, max_value=1440)
    note = serializers.CharField(max_length=10)


class _Create(APIView):
    permission_classes = [AllowAny]

    def post(self, request: Request) -> Response:
        return Response(validated(_Input, request.data), status=201)


def test_validation_errors_are_problem_details_with_field_errors():
    request = APIRequestFactory().post("/api/v1/x/", {"minutes": 0}, format="json")
    response = _Create.as_view()(request)
    response.render()
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = response.data
    assert body["status"] == 400
    assert body["title"] == "Bad Request"
    assert set(body["errors"]) == {"minutes", "note"}
    assert all(isinstance(message, str) for message in body["errors"]["minutes"])


def test_malformed_json_is_a_400_problem():
    request = APIRequestFactory().post("/api/v1/x/", "{not json", content_type="application/json")
    response = _Create.as_view()(request)
    response.render()
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.data["type"] == "/api/problems/parse_error"


class _TightThrottle(AnonRateThrottle):
    rate = "2/minute"


class _Throttled(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [_TightThrottle]

    def get(self, request: Request) -> Response:
        return Response({})


def test_throttled_requests_get_429_problem_with_retry_after():
    view = _Throttled.as_view()
    responses = [view(APIRequestFactory().get("/api/v1/t/")) for _ in range(3)]
    last = responses[-1]
    last.render()
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert last["Content-Type"] == PROBLEM
    assert "Retry-After" in last
    assert last.data["type"] == "/api/problems/throttled"


def test_default_throttles_cover_users_and_anonymous():
    classes = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
    assert "rest_framework.throttling.AnonRateThrottle" in classes
    assert "portal.throttling.LearnerRateThrottle" in classes


@pytest.mark.parametrize(
    ("signed_in", "counted"), [(False, "throttle_anon_"), (True, "throttle_user_")]
)
def test_each_request_is_counted_by_one_throttle(client, signed_in, counted):
    """A visitor is counted under the "anon" rate only, a learner under the "user" rate only:
    one history read and write in the cache per API request."""
    user = UserFactory()
    if signed_in:
        client.force_login(user)
    ident = user.pk if signed_in else "127.0.0.1"
    assert client.get("/api/v1/tracks/").status_code == 200
    assert client.get("/api/v1/tracks/").status_code == 200
    for scope in ("anon", "user"):
        history = cache.get(f"throttle_{scope}_{ident}")
        if f"throttle_{scope}_" == counted:
            assert len(history) == 2
        else:
            assert history is None


def test_a_learner_is_still_held_to_the_user_rate(client, monkeypatch):
    rates = {**LearnerRateThrottle.THROTTLE_RATES, "user": "2/minute"}
    monkeypatch.setattr(LearnerRateThrottle, "THROTTLE_RATES", rates)
    client.force_login(UserFactory())
    codes = [client.get("/api/v1/tracks/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_pagination_caps_page_size():
    paginator = PageNumberPagination()
    request = Request(RequestFactory().get("/api/v1/x/", {"page_size": 10_000}))
    page = paginator.paginate_queryset(list(range(500)), request)
    assert len(page) == PageNumberPagination.max_page_size
    assert paginator.get_paginated_response(page).data["count"] == 500


def test_pagination_out_of_range_page_is_404_problem(client):
    paginator = PageNumberPagination()
    request = Request(RequestFactory().get("/api/v1/x/", {"page": 99}))
    from rest_framework.exceptions import NotFound

    with pytest.raises(NotFound):
        paginator.paginate_queryset(list(range(5)), request)


class _UserList(ListAPIView):
    """A list endpoint that names only its fields: filtering and ordering come from the defaults."""

    class Output(serializers.Serializer):
        username = serializers.CharField()

    permission_classes = [AllowAny]
    queryset = get_user_model().objects.all()
    serializer_class = Output
    filterset_fields = ["timezone"]
    ordering_fields = ["username"]


def test_lists_filter_and_order_by_default():
    assert settings.REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"] == [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ]
    for username, timezone in (("bea", "UTC"), ("cy", "UTC"), ("al", "Asia/Tokyo")):
        UserFactory(username=username, timezone=timezone)
    query = {"timezone": "UTC", "ordering": "-username"}
    response = _UserList.as_view()(APIRequestFactory().get("/api/v1/users/", query))
    assert [row["username"] for row in response.data["results"]] == ["cy", "bea"]


def _learner_operations() -> list[tuple[str, str]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method, path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if "401" in operation["responses"]
    ]


@pytest.mark.parametrize(("method", "path"), _learner_operations())
def test_every_learner_operation_challenges_without_credentials(client, method, path):
    """Without a session or token every learner endpoint answers 401 with the challenge to send
    X-Session-Token (one authentication class decides it for all: portal/authentication.py)."""
    url = path.replace("{attempt_id}", "1").replace("{position}", "1")
    for name in ("slug", "code", "uid", "entry_id", "resource_id", "id"):
        url = url.replace("{" + name + "}", "x1" if name in ("slug", "code", "uid") else "1")
    response = getattr(client, method)(url, data={}, content_type="application/json")
    assert response.status_code == 401, (method, url)
    assert response["WWW-Authenticate"] == 'X-Session-Token realm="api"'
    assert response["Content-Type"] == PROBLEM
