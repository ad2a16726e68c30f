"""The registry's API filters, validated by django-filter: an unknown scale or sector, or a region that is no id,
answers 400 naming the value (core.api.filtering); applicants.selectors.registry_search filters."""

from __future__ import annotations

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from applicants.models import Business

SCALES = [("micro", "micro"), ("small", "small"), ("medium", "medium"), ("large", "large")]


class BusinessFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(max_length=100)
    region = django_filters.CharFilter(
        validators=[RegexValidator(r"^[1-9]\d{0,8}$", _("“%(value)s” is not a region id (a whole number)."))]
    )
    sector = django_filters.ChoiceFilter(choices=Business.Sector.choices)
    scale = django_filters.ChoiceFilter(choices=SCALES)

    class Meta:
        model = Business
        fields: list[str] = []
