"""After the certificate: the yearly composition confirmation and certificate expiry reminders (`services`),
their reads (`selectors`) and pages (`views`). Product development (revisions), renewal and appeals run on the
workflow (`certification.workflow`) and the certificate services (`certification.certificates.services`).
"""
