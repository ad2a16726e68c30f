"""`{% composition_checks user %}`: the owner's open yearly confirmations, each with its one-tap answers."""

from __future__ import annotations

from typing import Any

from django import template

from certification.aftercare.selectors import open_composition_checks_of
from certification.models import CompositionCheck

register = template.Library()


@register.inclusion_tag("certification/_composition_checks.html")
def composition_checks(user: Any) -> dict[str, Any]:
    return {"checks": list(open_composition_checks_of(user)[:20]), "answers": CompositionCheck.Answer}
