"""The API's plumbing shared by every app.

- `errors`: the one error shape (`{"detail", "errors"}`) of every 4xx
- `permissions`: `HasRole.of(...)`
- `jsonguard`: JSON bodies checked (depth, size, values) before anything parses them
- `schema`: OpenAPI post-processing (the error answers every view can give)
- `views`: the token endpoint and the signed-in user
"""
