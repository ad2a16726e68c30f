from __future__ import annotations

import pytest
from django.template import Context, Template

from core.money import format_rupiah


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "Rp 0"),
        (999, "Rp 999"),
        (1_000, "Rp 1.000"),
        (1_234_567, "Rp 1.234.567"),
        (15_000_000_001, "Rp 15.000.000.001"),
        (-1_234_567, "-Rp 1.234.567"),
        (-5, "-Rp 5"),
    ],
)
def test_format_rupiah(amount: int, text: str) -> None:
    assert format_rupiah(amount) == text


def test_rupiah_template_filter() -> None:
    template = Template("{% load money %}[{{ a|rupiah }}][{{ b|rupiah }}][{{ c|rupiah }}][{{ d|thousands }}]")
    assert template.render(Context({"a": 774231, "b": -2_000_000, "c": None, "d": 5242210})) == (
        "[Rp 774.231][-Rp 2.000.000][][5.242.210]"
    )
