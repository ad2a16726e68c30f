"""Certificate PDF against a minimal one-page WeasyPrint render, same run: <= 1.5x the time."""

from __future__ import annotations

from bench.report import BASE, Row
from bench.support import Context, median, time_calls

WHAT = "certificate PDF render"
BUDGET = "<= 1.5x minimal WeasyPrint"
MINIMAL = (
    "<!doctype html><html lang='id'><head><meta charset='utf-8'><style>@page { size: A4 }</style></head>"
    "<body><h1>Sertifikat Halal</h1><p>Nomor ID18110000000010126</p></body></html>"
)


def minimal_render() -> bytes:
    from weasyprint import HTML

    return HTML(string=MINIMAL).write_pdf()


def run(ctx: Context) -> list[Row]:
    repeat = 3 if ctx.quick else 15
    minimal_render()  # warm fonts and caches
    baseline = median(time_calls(minimal_render, repeat))
    rows = [Row(what="  baseline: minimal one-page WeasyPrint", p50=baseline * 1000, result=BASE)]
    # The pure renderer: certificate_pdf_render stores the file once and is a no-op afterwards, so it is not timed.
    from certification.certificate_services import certificate_pdf_bytes as render
    from certification.models import Certificate

    certificate = Certificate.objects.order_by("pk").first()
    if certificate is None:
        rows.append(Row.not_built(WHAT, BUDGET, "no certificate in the bench database"))
        return rows
    render(certificate)
    measured = median(time_calls(lambda: render(certificate), repeat))
    ratio = measured / baseline
    rows.append(
        Row(
            what=WHAT,
            budget=BUDGET,
            p50=measured * 1000,
            ratio=ratio,
            result=Row.verdict(ratio <= 1.5),
            note=f"median of {repeat} in-process renders",
        )
    )
    return rows
