"""Pagination for long staff lists (a leaf module: imports no app).

Counting a million-row queue costs more than fetching its first page. Large totals are cached for a short while,
keyed by the exact SQL of the count, so the pager may lag a few seconds behind; the rows themselves are always live.
Small totals are never cached, so a page's query count does not depend on what an earlier request left behind.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

CACHE_FROM = 10_000
CACHE_SECONDS = 30
# A national queue (a million open cases and more) takes PostgreSQL about a second to count: kept five minutes, so
# one request in five minutes pays for it rather than one in thirty seconds (bench/RESULTS.md, queue at 5M).
LARGE_FROM = 500_000
LARGE_SECONDS = 300


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
