"""Operations: what keeps the platform observable, recoverable and honest (README, "Production").

- `observability`, `requestid`, `metrics`, `sentry`: request ids, JSON access logs, Prometheus metrics, error tracking
- `views`: /healthz and the administrators' dead-letter list; `deadletter`: its reads and writes
- `backup`: backup and restore of the database and the files
- `chain`: the HMAC hash chains of events and staff actions (tamper evidence)
- `beat`: Celery beat's scheduler with its heartbeat file
- `upgrade`: upgrading a database from the layout before `core` existed
"""
