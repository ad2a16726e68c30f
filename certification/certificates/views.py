"""Pages of certificates: the public ones (no login: verification by token or number, the registry of certified
products) and the reviewer's revocation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certification import selectors
from certification.catalogue import selectors as market_selectors
from certification.certificates import selectors as certificate_selectors
from certification.certificates.services import certificate_revoke, number_pattern, page_cache_key, page_html_key
from certification.forms import RevokeForm
from certification.models import Pathway
from certification.workflow import table as wf
from core.access.decorators import page_rate_limit, role_required, too_many_requests
from core.access.throttling import PageRateThrottle, store
from core.errors import DomainError
from core.web.pagination import CachedCountPaginator

REGISTRY_PAGE_SIZE = 25
PAGE_CACHE_SECONDS = 60


def _rate() -> str:
    return settings.CERTIFICATE_VERIFY_RATE


# The rendered page's CSRF token (the language form in base.html), put in per request: the page is otherwise the
# same for every anonymous visitor in a language.
CSRF_PLACEHOLDER = "csrf-token-of-this-request-7c1f"


@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """The page a QR code opens: a big status badge and the public facts; an unknown token is a clear 404.

    Budget: >= 0.75x a bare Django HTML view (bench/RESULTS.md). An anonymous visitor without a session or a query
    string gets the page rendered once a minute per language: read with the rate counter in one Redis round trip
    (core.access.throttling.PageRateThrottle), then only their CSRF token is put in. Revoking or superseding drops
    it (certificate_services._forget), as it drops the cached facts."""
    shared = _shared_page(request)
    html_key = page_html_key(token, get_language()) if shared else None
    throttle = PageRateThrottle(group="certification.verify", rate=_rate())
    allowed, html = throttle.allow_page(request, html_key)
    if not allowed:
        return too_many_requests(request, throttle.wait())
    if html is not None:
        return HttpResponse(html.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode()))
    key = page_cache_key(token)
    certificate = cache.get(key)
    if certificate is None:
        certificate = certificate_selectors.certificate_by_token(token=token)
        if certificate is None:
            return render(request, "certification/verify_not_found.html", {"token": token}, status=404)
        cache.set(key, certificate, PAGE_CACHE_SECONDS)
    pathway = Pathway(certificate["pathway"]).label
    context = {
        "certificate": certificate,
        "pathway": pathway,
        "issuer_name": certificate["issuer_name"],
        "catalogue": _catalogue_links(certificate),
    }
    if html_key is None:
        return render(request, "certification/verify.html", context)
    page = render_to_string("certification/verify.html", {**context, "csrf_token": CSRF_PLACEHOLDER}, request)
    store().set(html_key, page.encode(), PAGE_CACHE_SECONDS)
    return HttpResponse(page.replace(CSRF_PLACEHOLDER, get_token(request)))


def _shared_page(request: HttpRequest) -> bool:
    """Whether this visitor gets the page everyone gets: no session (so no login and no pending message) and no
    query string (a QR code opens the plain address; any other is rendered for itself, never stored)."""
    return not request.GET and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _catalogue_links(certificate: dict[str, object]) -> list[tuple[int, str]]:
    """The catalogue pages of a valid certificate's products, cached as briefly as the page's facts."""
    if certificate["status"] != "valid":
        return []
    key = page_cache_key(str(certificate["token"])) + ":catalogue"
    links = cache.get(key)
    if links is None:
        entries = market_selectors.catalogue_entries_of_certificate(str(certificate["token"]))
        links = [(entry.pk, entry.product.name) for entry in entries]
        cache.set(key, links, PAGE_CACHE_SECONDS)
    return list(links)


@require_GET
@page_rate_limit(group="certification.verify_lookup", rate=_rate)
def verify_lookup(request: HttpRequest) -> HttpResponse:
    """Type a certificate number: redirect to its verification page, or say it was not found."""
    number = (request.GET.get("number") or "").strip().upper().replace(" ", "")
    if not number:
        return render(request, "certification/verify_lookup.html", {"number": ""})
    malformed = not number_pattern().match(number)
    token = None
    if not malformed:
        token = certificate_selectors.certificate_token_of(number=number)
    if token:
        return redirect("certification:verify", token)
    return render(
        request,
        "certification/verify_lookup.html",
        {"number": number, "malformed": malformed, "not_found": not malformed},
        status=400 if malformed else 404,
    )


@require_GET
def registry(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    region = (request.GET.get("region") or "").strip()[:100]
    queryset = certificate_selectors.certificates_public_search(q=q, region=region)
    page = CachedCountPaginator(queryset, REGISTRY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certification/registry.html",
        {"page": page, "q": q, "region": region, "query": query.urlencode()},
    )


@role_required(*wf.ACTOR_ROLES[wf.REVIEWER])
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.applications_for(request.user), pk=pk)
    certificate = selectors.certificate_of(application)
    if certificate is None:
        raise Http404
    form = RevokeForm(request.POST)
    reason = form.data.get("reason", "") if not form.is_valid() else form.cleaned_data["reason"]
    try:
        certificate_revoke(certificate=certificate, actor=request.user, reason=reason)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Certificate %(number)s revoked.") % {"number": certificate.number})
    return redirect("certification:case", pk)
