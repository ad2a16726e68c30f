"""What makes the dashboard's cached figures stale: a saved or deleted row of a model a figure reads bumps that
figure's cache generation (core.generations). The top floor listens; the apps below know nothing of the dashboard.

Writes that bypass the ORM's signals call `core.generations.bump` themselves (training's attendance, which uses
bulk_create and update), and DASHBOARD_CACHE_SECONDS bounds anything else (a business moved to another region: its
figures follow within that time; every business save bumping every figure would keep the dashboard cold).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from core import generations


def watched() -> dict[type, tuple[str, ...]]:
    from applicants.models import AnnualFigures
    from certification.models import (
        Application,
        ApplicationEvent,
        Certificate,
        CompositionCheck,
        SehatiClaim,
        SehatiQuota,
    )
    from fees.models import FeeSchedule, FeeTier
    from training.models import Enrollment, FollowUp, Program

    return {
        Application: ("cases",),
        ApplicationEvent: ("cases",),
        SehatiQuota: ("cases",),
        SehatiClaim: ("cases",),
        Certificate: ("certificates", "compositions"),
        CompositionCheck: ("compositions",),
        Program: ("training",),
        Enrollment: ("training",),
        FollowUp: ("training",),
        AnnualFigures: ("figures",),
        FeeSchedule: ("fees",),
        FeeTier: ("fees",),
    }


def connect() -> None:
    for model, names in watched().items():

        def changed(sender: Any, names: tuple[str, ...] = names, **kwargs: Any) -> None:
            generations.bump(*names)

        uid = f"reports.freshness.{model._meta.label}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)
