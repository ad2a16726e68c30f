"""The assistant's verification (verval) of a self-declare case: its writes and the checks `pph_validate` reads
(`services`), and the phone page the assigned assistant fills in on site (`views`).
"""
