from celery import shared_task


@shared_task(name="core.ping")
def ping(value: str = "pong") -> str:
    """Round trip through the broker and a worker; used by the health tests."""
    return value
