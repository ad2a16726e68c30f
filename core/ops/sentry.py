"""Optional error tracking: settings call `sentry_init` only when SENTRY_DSN is set, so nothing is loaded otherwise."""

from __future__ import annotations

from typing import Any

from core.ops.requestid import request_id_var


def tag_request_id(event: Any, hint: Any) -> Any:
    """Every event names the request (or task) it came from, to find its log lines."""
    event.setdefault("tags", {})["request_id"] = request_id_var.get()
    return event


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,  # owners' personal data stays here
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=tag_request_id,
    )
