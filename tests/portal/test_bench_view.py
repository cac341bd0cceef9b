"""The benchmarks' ceiling view is routed only when BENCH_VIEWS is on (never in production)."""

from django.test import RequestFactory

from portal import bench


def test_the_ceiling_is_not_routed_by_default(client, db):
    assert client.get("/bench/ceiling/").status_code == 404


def test_the_ceiling_answers_a_fixed_body():
    response = bench.ceiling(RequestFactory().get("/bench/ceiling/"))
    assert response.status_code == 200
    assert response.content.decode() == bench.CEILING_BODY
