"""BPOM facilitation cases (the office helps an owner register a product with BPOM): the writes (`services`),
reads (`selectors`), pages (`views`), forms (`forms`) and the overdue-stage reminders (`reminders`).
"""
