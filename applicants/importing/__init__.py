"""Import of the office's business lists (CSV or XLSX): parsing, checks and the background job (`services`)
and the staff pages (`views`).
"""
