from celery import shared_task


@shared_task(name="portal.ping")
def ping() -> str:
    """Round trip through the broker and a worker; used by health checks and worker tests."""
    return "pong"
