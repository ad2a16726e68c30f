"""Web plumbing: form fields and widgets, pagination, navigation per role, middleware for friendly 404s and NUL
characters in query strings.
"""
