"""Query filters of the API, validated by django-filter FilterSets: an unknown value answers 400 naming it
(`{"detail": ..., "errors": {"state": ["Select a valid choice. bogus is not one of the available choices."]}}`),
never an empty or unfiltered list. The selectors then filter with the cleaned values."""

from __future__ import annotations

from typing import Any

import django_filters
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


def cleaned_filters(filterset_class: type[django_filters.FilterSet], request: Request) -> dict[str, Any]:
    """The query string's filters, cleaned by `filterset_class`; ValidationError (400) naming each bad value."""
    model = filterset_class._meta.model
    filterset = filterset_class(request.query_params, queryset=model._default_manager.none(), request=request)
    if not filterset.is_valid():
        raise ValidationError(
            {name: [str(message) for message in messages] for name, messages in filterset.errors.items()}
        )
    return {name: value for name, value in filterset.form.cleaned_data.items() if value not in (None, "")}
