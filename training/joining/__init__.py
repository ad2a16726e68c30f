"""Owners joining open programmes: the join, leave and approval services (services.py)."""
