"""Certificates: issue (number, snapshots), PDF, revocation and supersession (`services`); public
verification JSON, PDF download and revocation API (`api`); the public verification page and registry, and the
reviewer's revocation (`views`); public reads (`selectors`).
"""
