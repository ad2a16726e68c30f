"""Numbers as Indonesians read them (issue 19, item 14): grouped counts, whole-number chart steps for counts, and
the quota chart not flattened by a 1.35 M national pool."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client

from reports.charts import Chart, integer_steps
from tests.certification import factories as cf
from tests.conftest import national

pytestmark = pytest.mark.django_db


def _axis_labels(svg: str) -> list[str]:
    """The value axis's tick labels of a pygal chart."""
    axis = svg.split('class="axis y')[1].split("</g></g>")[0]
    return re.findall(r"<text[^>]*>([^<]*)</text>", axis)


def test_a_count_chart_steps_in_whole_numbers() -> None:
    svg = Chart(title="Sertifikat", columns=["Sektor", "Jumlah"], rows=[["Makanan", 1], ["Minuman", 3]]).svg()
    labels = [label for label in _axis_labels(svg) if label.strip()]
    assert labels, svg[:500]
    assert all("." not in label and "," not in label for label in labels), labels
    assert {"0", "1", "2", "3"} <= set(labels)


def test_a_big_count_is_grouped_on_the_chart_axis() -> None:
    svg = Chart(title="Kuota", columns=["Pool", "Terpakai"], rows=[["Nasional", 1_352_995]]).svg()
    labels = _axis_labels(svg)
    assert "1.400.000" in labels or "1.200.000" in labels, labels
    assert not any(re.fullmatch(r"\d{5,}", label) for label in labels), labels


@pytest.mark.parametrize(("top", "expected_step"), [(1, 1), (3, 1), (8, 1), (9, 2), (17, 5), (100, 20)])
def test_integer_steps_are_whole_and_few(top: int, expected_step: int) -> None:
    steps = integer_steps(top)
    assert steps[0] == 0 and steps[-1] >= top
    assert steps[1] - steps[0] == expected_step
    assert len(steps) <= 9


def test_the_grouped_filter_groups_counts_and_writes_decimal_commas() -> None:
    rendered = Template("{% load money %}{{ a|grouped }} {{ b|grouped }} {{ c|grouped }} {{ d|grouped }}").render(
        Context({"a": 1_352_995, "b": 12.5, "c": "Lampung", "d": 1_353_000.0})
    )
    assert rendered == "1.352.995 12,5 Lampung 1.353.000"


def test_the_dashboard_groups_the_quota_and_keeps_small_pools_visible(oscar: Any, rina: Any) -> None:
    quota = cf.national_quota(places=1_353_000)
    client = Client()
    client.force_login(national(rina))  # the national pool is a national figure
    html = client.get("/staff/dashboard/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "1.353.000" in html
    assert "1353000" not in html.replace("1.353.000", "")
    assert quota.places == 1_353_000
    quota_table = html.split('id="table-quota"')[1].split("</table>")[0]
    assert "%" in html.split('id="figure-quota"')[1].split("</figcaption>")[0]  # share used per pool, not raw places
    assert "1353000" not in quota_table


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["Jan", 0.02], ["Feb", 0.1]], ["0", "0,02", "0,04", "0,06", "0,08", "0,10"]),
        ([["Jan", 12.5], ["Feb", 3.0]], ["0", "2", "4", "6", "8", "10", "12", "14"]),
        (
            [["Jan", 0.004], ["Feb", 0.0375]],
            ["0", "0,005", "0,010", "0,015", "0,020", "0,025", "0,030", "0,035", "0,040"],
        ),
    ],
)
def test_a_ratio_chart_labels_each_tick_once_with_the_decimals_its_step_needs(
    rows: list[Any], expected: list[str]
) -> None:
    svg = Chart(title="Rasio", columns=["Bulan", "Rasio"], rows=rows).svg()
    labels = [label for label in _axis_labels(svg) if label.strip()]
    assert labels == expected  # was "0,0 0,0 0,1": one decimal for a 0,02 step


def test_an_empty_chart_says_so_in_words_and_is_left_out_of_the_monthly_pdf() -> None:
    from django.template.loader import render_to_string

    empty = Chart(title="Kosong", columns=["Bulan", "Jumlah"], rows=[["Jan", None]])
    assert not empty.has_data and Chart(title="x", columns=["a", "b"], rows=[["Jan", 0]]).has_data
    assert "Tidak ada data untuk periode ini." in empty.svg()  # not a lone dash drawn as a stray line
    figure = type("Figure", (), {"chart": empty, "extra": {"data_uri": empty.data_uri()}})()
    html = render_to_string("reports/report_pdf.html", {"figures": [figure], "report": None})
    assert "Kosong" in html and "<img" not in html.split("Kosong", 1)[1].split("</div>")[0]


def test_the_anniversary_notice_speaks_of_a_past_date_in_the_past() -> None:
    from django.utils import translation
    from django.utils.translation import gettext

    notice = (  # certification's catalogue; a literal inside gettext() here would land in the root catalogue
        "Your certificate had its anniversary on %(day)s. It stays valid while the ingredients and the production "
        "process do not change. Did anything change?"
    )
    with translation.override("id"):
        text = gettext(notice)
    assert "genap berusia satu tahun pada" in text and "lagi" not in text  # "lagi" promised a future date
