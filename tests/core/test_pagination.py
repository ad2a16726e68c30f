from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from core.web import pagination
from core.web.pagination import CachedCountPaginator


@pytest.mark.django_db
def test_small_totals_are_counted_every_time(django_assert_num_queries) -> None:
    queryset = Group.objects.order_by("name")
    groups = Group.objects.count()  # the role groups the migrations seed
    with django_assert_num_queries(1):
        assert CachedCountPaginator(queryset, 2).count == groups
    with django_assert_num_queries(1):
        assert CachedCountPaginator(queryset, 2).count == groups


@pytest.mark.django_db
def test_large_totals_are_cached_briefly_per_query(monkeypatch, django_assert_num_queries) -> None:
    monkeypatch.setattr(pagination, "CACHE_FROM", 3)
    queryset = Group.objects.order_by("name")
    groups = Group.objects.count()
    with django_assert_num_queries(1):
        assert CachedCountPaginator(queryset, 2).count == groups
    with django_assert_num_queries(0):
        assert CachedCountPaginator(queryset, 2).count == groups
    with django_assert_num_queries(1):
        assert CachedCountPaginator(queryset.filter(name__startswith="o"), 2).count == 2


@pytest.mark.django_db
def test_an_empty_filter_counts_zero_without_a_query(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert CachedCountPaginator(Group.objects.none(), 2).count == 0
