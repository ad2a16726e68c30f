"""Pagination for long staff lists (a leaf module: imports no app).

The case queue (BoundedPaginator, BoundedCountPagination) never counts a national queue: it counts up to
COUNT_CAP rows and says "more than" beyond, and knows whether a next page exists from one extra row. Its cost is
then flat in the size of the data (bench/RESULTS.md: case queue at 1M and 5M, p95 <= 80 ms).

Other lists (CachedCountPaginator):

Counting a million-row queue costs more than fetching its first page. Large totals are cached for a short while,
keyed by the exact SQL of the count, so the pager may lag a few seconds behind; the rows themselves are always live.
Small totals are never cached, so a page's query count does not depend on what an earlier request left behind.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

CACHE_FROM = 10_000
CACHE_SECONDS = 30
# A national queue (a million open cases and more) takes PostgreSQL about a second to count: kept five minutes, so
# one request in five minutes pays for it rather than one in thirty seconds (bench/RESULTS.md, queue at 5M).
LARGE_FROM = 500_000
LARGE_SECONDS = 300
# A bounded count kept for a while (`bounded_count(seconds=...)`) only when it is at least this large.
CACHE_BOUNDED_FROM = 100


class CachedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset: Any = self.object_list
        query = getattr(queryset, "query", None)
        if query is None:
            return len(queryset)
        try:
            sql, params = query.sql_with_params()
        except EmptyResultSet:
            return 0
        key = "count:" + hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()
        total = cache.get(key)
        if total is None:
            total = queryset.count()
            if total >= CACHE_FROM:
                cache.set(key, total, LARGE_SECONDS if total >= LARGE_FROM else CACHE_SECONDS)
        return int(total)


class CachedCountPagination(PageNumberPagination):
    django_paginator_class = CachedCountPaginator


# Twenty pages of fifty: past that a person filters rather than pages, and "more than 1,000" is all they need.
COUNT_CAP = 1000


def bounded_count(queryset: Any, cap: int, *, seconds: int = 0) -> int:
    """The number of rows, counted up to cap + 1 (one query, no ordering: the planner may read any index that
    finds them). A result above `cap` means "more than cap".

    With `seconds`, the count of a large result (more than a page's worth of entries, CACHE_BOUNDED_FROM) is kept
    that long under its exact SQL: the pager may lag, the rows never do. Small counts are never kept, so a page's
    query count does not depend on what an earlier request left behind."""
    counted = queryset.order_by().values("pk")[: cap + 1]
    if not seconds:
        return int(counted.count())
    try:
        sql, params = counted.query.sql_with_params()
    except EmptyResultSet:
        return 0
    key = "bounded-count:" + hashlib.sha256(f"{cap}|{sql}|{params!r}".encode()).hexdigest()
    total = cache.get(key)
    if total is None:
        total = counted.count()
        if total >= CACHE_BOUNDED_FROM:
            cache.set(key, total, seconds)
    return int(total)


class BoundedPage:
    """One page of a queue, with `has_next` from one row past the page and a count bounded by COUNT_CAP.

    The same names as a Django Page where templates use them (number, has_next, has_previous, ...)."""

    def __init__(self, rows: Sequence[Any], *, number: int, per_page: int, count: int, cap: int) -> None:
        self.object_list = list(rows[:per_page])
        self.number = number
        self.per_page = per_page
        self.has_more_rows = len(rows) > per_page
        self.count_exact = count <= cap
        self.count = min(count, cap)

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.has_more_rows

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def num_pages(self) -> int | None:
        """The number of pages when the count is exact, else None (more than the cap)."""
        return max(math.ceil(self.count / self.per_page), 1) if self.count_exact else None


class BoundedPaginator:
    """Pages of a queryset in two queries whatever its size: the page's rows (one more than the page, for
    `has_next`) and a count bounded by `cap`. A page number past the end gives an empty page, not an error."""

    def __init__(self, queryset: Any, per_page: int, cap: int | None = None, *, count_seconds: int = 0) -> None:
        self.queryset = queryset
        self.per_page = per_page
        self.cap = COUNT_CAP if cap is None else cap
        self.count_seconds = count_seconds

    def get_page(self, number: Any) -> BoundedPage:
        try:
            page = max(int(number), 1)
        except (TypeError, ValueError):
            page = 1
        offset = (page - 1) * self.per_page
        # A late row lookup: the page's keys come from an index (an index-only scan where one serves the filter
        # and the order), and only those rows are read in full, rather than every candidate row of a filter
        # (a regency's cases at 5M: 1.5 s of heap reads cold) sorted to keep fifty.
        keys = self.queryset.values("pk")[offset : offset + self.per_page + 1]
        rows = list(self.queryset.filter(pk__in=keys))
        count = bounded_count(self.queryset, self.cap, seconds=self.count_seconds)
        return BoundedPage(rows, number=page, per_page=self.per_page, count=count, cap=self.cap)


class BoundedCountPagination(PageNumberPagination):
    """The API side of BoundedPaginator: `count` is exact up to COUNT_CAP; past it `count_exact` is false and
    `count` is COUNT_CAP ("more than")."""

    count_seconds = 0  # see bounded_count

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        self.request = request
        self.bounded_request = request
        paginator = BoundedPaginator(queryset, self.get_page_size(request) or 50, count_seconds=self.count_seconds)
        self.bounded = paginator.get_page(request.query_params.get(self.page_query_param))
        return self.bounded.object_list

    def get_next_link(self) -> str | None:
        if not self.bounded.has_next():
            return None
        url = self.bounded_request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.bounded.next_page_number())

    def get_previous_link(self) -> str | None:
        if not self.bounded.has_previous():
            return None
        url = self.bounded_request.build_absolute_uri()
        if self.bounded.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.bounded.previous_page_number())

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.bounded.count,
                "count_exact": self.bounded.count_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            f"Exact up to {COUNT_CAP:,}; {COUNT_CAP:,} when there are more."
        )
        response["properties"]["count_exact"] = {"type": "boolean", "example": True}
        response["required"] = [*response.get("required", []), "count_exact"]
        return response
