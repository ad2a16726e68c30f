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


@pytest.mark.django_db
def test_a_bounded_page_counts_exactly_up_to_the_cap_and_says_more_past_it(django_assert_num_queries) -> None:
    Group.objects.bulk_create(Group(name=f"g{n:02}") for n in range(12))
    queryset = Group.objects.filter(name__startswith="g").order_by("name")
    with django_assert_num_queries(2):  # the page (one row more) and the bounded count
        page = pagination.BoundedPaginator(queryset, 5, cap=20).get_page("1")
    assert [g.name for g in page] == ["g00", "g01", "g02", "g03", "g04"]
    assert (page.count, page.count_exact, page.num_pages, page.has_next(), page.has_previous()) == (
        12,
        True,
        3,
        True,
        False,
    )
    page = pagination.BoundedPaginator(queryset, 5, cap=10).get_page("2")
    assert (page.count, page.count_exact, page.num_pages, page.has_next()) == (10, False, None, True)
    last = pagination.BoundedPaginator(queryset, 5, cap=10).get_page("3")
    assert [g.name for g in last] == ["g10", "g11"] and not last.has_next() and last.previous_page_number() == 2


@pytest.mark.django_db
def test_a_bounded_page_past_the_end_or_not_a_number_is_still_a_page() -> None:
    Group.objects.bulk_create(Group(name=f"g{n}") for n in range(3))
    queryset = Group.objects.filter(name__startswith="g").order_by("name")
    assert len(pagination.BoundedPaginator(queryset, 5).get_page("9")) == 0
    assert pagination.BoundedPaginator(queryset, 5).get_page("x").number == 1
    assert pagination.BoundedPaginator(queryset, 5).get_page(None).count == 3


@pytest.mark.django_db
def test_the_bounded_count_reads_at_most_one_row_past_the_cap(django_assert_num_queries) -> None:
    Group.objects.bulk_create(Group(name=f"g{n}") for n in range(30))
    with django_assert_num_queries(1) as captured:
        assert pagination.bounded_count(Group.objects.filter(name__startswith="g").order_by("name"), 10) == 11
    sql = captured.captured_queries[0]["sql"]
    assert "LIMIT 11" in sql and "ORDER BY" not in sql
