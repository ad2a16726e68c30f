"""Identity and access: who people are and what they may do.

- `roles`: the one place where role names live (roles are Django groups; a person may hold several)
- `decorators`: `role_required` and `staff_required` for pages (anonymous: login page; without the role: 403)
- `accounts`: django-allauth's adapter (owners sign up themselves; staff accounts are made by an admin)
- `audit`: the middleware that records staff actions in their hash chain
- `throttling`: the fixed-window rate throttle of public endpoints
- `net`: the client's address behind our own proxies (rate limits, login limits, /metrics)
"""
