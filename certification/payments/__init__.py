"""Paying a regular case: the office records BPJPH's bill, the owner uploads the proof, the office confirms it
(the workflow's `record_payment`), reminders come from the daily clock (certification.workflow.deadlines)."""
