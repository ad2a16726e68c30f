from celery import shared_task


@shared_task(name="halalmsi.ping")
def ping(value: str = "pong") -> str:
    """Round trip through the broker and a worker; used by the health tests."""
    return value


# The dashboard's tasks live in their package; importing them here registers them with autodiscovery.
from halalmsi.dashboard.tasks import build_monthly_report, monthly_report_previous_month  # noqa: E402, F401
