"""Distribution permits per product (SPP-IRT / PIRT, BPOM MD): the writes and rules (`services`), the owner's
form (`forms`), pages (`views`), API (`api`) and expiry reminders (`reminders`).
"""
