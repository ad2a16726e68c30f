"""The evidence of a case: what each submission rests on, frozen (`services.snapshot_take`), what changed since the
previous one (`changes`), how the case pages and the API read it (`selectors`, `views`, `api`), and the hold it puts
on the documents it names (a document a submitted case rests on is never deleted or overwritten).
"""
