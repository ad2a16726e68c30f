"""Server-rendered SVG charts (pygal): no JavaScript, house colours. The same SVG goes to the page and the PDF."""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pygal
from django.utils.translation import gettext_lazy
from pygal.style import Style

from core.money import format_thousands

SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)
NO_DATA = gettext_lazy("No data for this period.")
PURPLE = "#670075"
TOSKA = "#3DC3A3"

HOUSE_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1d1b20",
    foreground_strong="#1d1b20",
    foreground_subtle="#5d5766",
    colors=(PURPLE, TOSKA, "#b36bbf", "#1d7f69", "#e0a800", "#5d5766"),
    font_family="Noto Sans, sans-serif",
    opacity="1",
    opacity_hover="0.85",
    title_font_size=16,
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    value_font_size=11,
    no_data_font_size=16,
)


@dataclass
class Chart:
    """A chart and the table behind it (same numbers): `columns` head the table, `rows` are label + values."""

    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    kind: str = "bar"  # bar | hbar | stacked

    def svg(self) -> str:
        config: dict[str, Any] = {
            "title": self.title,
            "style": HOUSE_STYLE,
            "js": [],
            "disable_xml_declaration": True,
            "width": 720,
            "height": 360,
            "show_legend": len(self.columns) > 2,
            "legend_at_bottom": True,
            "print_values": False,
            "explicit_size": False,
            "no_data_text": str(NO_DATA),
            "margin_left": 24,  # room for "0,10" and "1.250": pygal's default clipped the labels' first digit
        }
        chart_class = {"bar": pygal.Bar, "hbar": pygal.HorizontalBar, "stacked": pygal.StackedBar}[self.kind]
        values = [row[index] for row in self.rows for index in range(1, len(self.columns))]
        counts = [v for v in values if v is not None]
        if counts and all(isinstance(v, int) for v in counts):
            # Counts: whole-number steps (never 0.5 of a certificate), grouped the Indonesian way (1.352.995).
            config["y_labels"] = integer_steps(max(counts))
            config["value_formatter"] = lambda v: format_thousands(int(v))
        else:
            # Ratios and percentages: 1-2-5 steps, each label with the decimals its step needs (0,02 0,04 ...
            # rather than pygal's 0,0 0,0 0,1).
            ticks = decimal_steps(max(counts, default=0))
            places = max(0, -ticks[1].normalize().as_tuple().exponent) if len(ticks) > 1 else 0
            config["y_labels"] = [float(tick) for tick in ticks]
            config["value_formatter"] = lambda v: _decimal(v, places)
        chart = chart_class(**config)
        chart.x_labels = [str(row[0]) for row in self.rows]
        for index, name in enumerate(self.columns[1:], start=1):
            chart.add(str(name), [_number(row[index]) for row in self.rows])
        # pygal still writes an inline config <script> (for its tooltips) even without js files: drop it.
        return SCRIPT.sub("", chart.render(is_unicode=True))

    @property
    def has_data(self) -> bool:
        """Whether any value is there to draw (an empty chart is left out of the PDF; its table says so)."""
        return any(row[index] is not None for row in self.rows for index in range(1, len(self.columns)))

    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg().encode()).decode()


def integer_steps(top: int, most: int = 8) -> list[int]:
    """Axis ticks for counts up to `top`: whole numbers, a 1-2-5 step, at most `most` + 1 ticks, from 0."""
    top = max(int(top), 1)
    step = 1
    while top / step > most:
        for factor in (2, 5 / 2, 2):  # 1 -> 2 -> 5 -> 10 -> 20 -> 50 ...
            step = int(step * factor)
            if top / step <= most:
                break
    last = -(-top // step) * step
    return list(range(0, last + 1, step))


def decimal_steps(top: float, most: int = 8) -> list[Decimal]:
    """Axis ticks from 0 to at least `top`: a 1-2-5 step times a power of ten, at most `most` + 1 ticks."""
    if top <= 0:
        return [Decimal(0), Decimal(1)]
    exponent = math.floor(math.log10(top / most))
    for factor in (1, 2, 5, 10):
        step = Decimal(factor).scaleb(exponent)
        if Decimal(str(top)) / step <= most:
            break
    count = math.ceil(Decimal(str(top)) / step)
    return [step * n for n in range(count + 1)]


def _decimal(value: Any, places: int = 1) -> str:
    """A percentage or a ratio with a decimal comma, as Indonesians write it (12,5)."""
    if value is None:
        return "—"
    whole = int(value)
    if value == whole:
        return format_thousands(whole)
    return f"{value:.{max(places, 1)}f}".replace(".", ",")


def _number(value: Any) -> Any:
    return None if value is None else float(value) if not isinstance(value, int) else value


def simple(title: str, label: str, value: str, items: Sequence[dict[str, Any]], kind: str = "bar") -> Chart:
    return Chart(title=title, columns=[label, value], rows=[[i["label"], i["n"]] for i in items], kind=kind)
