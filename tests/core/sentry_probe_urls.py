"""A view that fails while holding personal data in its form body and its local variables (the Sentry scrubbing
test runs it in a child process with SENTRY_DSN pointing at tests/core/sentry_server.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path


def boom(request: HttpRequest) -> HttpResponse:
    identity = request.POST["nik"]  # an innocent name, a NIK inside
    person = {"nik": identity, "full_name": request.POST["nama"], "phone": request.POST["telepon"]}
    contact = f"{request.POST['surel']} / +62 812-3456-7890"
    note = request.POST["catatan"]
    raise ValueError(f"could not save {identity} for {person['full_name']} ({contact}; {note})")


urlpatterns = [path("boom/", boom, name="sentry-boom")]
