"""The ground floor: what every app stands on (imports no other app of the project).

Sorted into what it holds: `access/` (identity and access), `calendar/` (the office calendar and working days),
`files/` (uploads, photos, PDF, QR, exports), `notifications/` (the one notification service and its channels),
`ops/` (health, backups, hash chains, metrics, logs, Sentry, dead letters), `api/` and `web/` (plumbing of the API
and the pages), `models/`; at the top the domain primitives every rule uses: errors, money, masking, phones,
validators, business scale, links, cache generations.
"""
