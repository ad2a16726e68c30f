"""One module per budget row of DESIGN.md. Each has `run(ctx) -> list[Row]`; a feature that is not built yet
answers one `n/a (not built yet)` row, so the lead fills a case in by editing only its module."""

ORDER = [
    "public_verify",
    "fee_quote",
    "case_queue",
    "owner_pages",
    "dashboard",
    "certificate_pdf",
    "reminder_scan",
    "monthly_report",
    "sehati_quota",
    "submission",
    "page_weight",
    "csv_export",
    "xlsx_export",
    "office_import",
    "mixed_load",
    "replica_reads",
]
