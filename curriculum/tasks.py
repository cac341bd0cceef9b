"""Curriculum background work: link health. Each task calls one service and is safe to run twice.

`check_resource_links` runs on the django-celery-beat schedule that migration
0003_link_check_schedule creates (daily; editable in the admin under "Periodic tasks").
"""

from dataclasses import asdict

from celery import shared_task

from . import services


@shared_task(name="curriculum.tasks.check_resource_links")
def check_resource_links() -> dict[str, int]:
    """Check every current resource URL not checked recently, the stalest first."""
    return asdict(services.resource_links_check())


@shared_task(name="curriculum.tasks.check_resource_links_for")
def check_resource_links_for(resource_ids: list[int]) -> dict[str, int]:
    """Check these resources now, however recently they were checked (admin "Re-check links")."""
    return asdict(services.resource_links_check(resource_ids=resource_ids))
