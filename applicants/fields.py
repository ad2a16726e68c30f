"""Region selects grouped by province: one <optgroup> per province, so a list of 552 regions stays usable without JS."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import Region
from core.web.widgets import QuickSelect


def grouped_region_choices(
    queryset: Any, *, value: str = "pk", provinces: bool = False, empty_label: str | None = "---------"
) -> list[Any]:
    """[(province name, [(value, label), ...]), ...] in code order.

    `value` is the attribute each option submits ("pk" or "code"). With `provinces` each group starts with the whole
    province ("All of Lampung"), for filters; forms that need a regency leave provinces out.
    """
    # One query: the offered regions and, to name the groups, every province (marked when offered too).
    offered = queryset.filter(pk=OuterRef("pk"))
    rows = list(
        Region.objects.filter(Q(Exists(offered)) | Q(kind=Region.Kind.PROVINCE))
        .annotate(offered=Exists(offered))
        .order_by("code")
        .only("pk", "code", "name", "kind")
    )
    names = {row.code: row.name for row in rows if row.kind == Region.Kind.PROVINCE}
    groups: dict[str, list[tuple[Any, str]]] = {}
    for row in rows:
        if not row.offered:
            continue
        group = groups.setdefault(row.code[:2], [])
        if row.kind == Region.Kind.PROVINCE:
            if provinces:
                group.insert(0, (getattr(row, value), _("All of %(province)s") % {"province": row.name}))
        else:
            group.append((getattr(row, value), row.name))
    choices: list[Any] = [("", empty_label)] if empty_label is not None else []
    choices.extend((names.get(code, code), options) for code, options in groups.items() if options)
    return choices


class GroupedRegionIterator(BaseChoiceIterator):
    """Lazy like Django's ModelChoiceIterator: the regions are read when the select is rendered, not when the form
    class is defined."""

    def __init__(self, field: RegionChoiceField) -> None:
        self.field = field
        self.rows: list[Any] | None = None

    def __iter__(self) -> Any:
        if self.rows is None:  # read once per form: a template may walk the options twice
            field = self.field
            self.rows = grouped_region_choices(
                field.queryset,
                value=getattr(field, "to_field_name", None) or "pk",
                provinces=getattr(field, "provinces", False),
                empty_label=getattr(field, "empty_label", None),
            )
        yield from self.rows


class RegionChoiceField(forms.ModelChoiceField):
    """A region select grouped by province. `provinces=True` lets a whole province be chosen (filters)."""

    def __init__(self, *, provinces: bool = False, queryset: Any = None, **kwargs: Any) -> None:
        self.provinces = provinces
        if queryset is None:
            queryset = Region.objects.all() if provinces else Region.objects.exclude(kind=Region.Kind.PROVINCE)
        kwargs.setdefault("error_messages", {"invalid_choice": gettext_lazy("Unknown region.")})
        kwargs.setdefault("widget", QuickSelect)  # 552 options through templates cost ~35 ms a select
        super().__init__(queryset=queryset, **kwargs)

    def _get_choices(self) -> Any:
        if hasattr(self, "_choices"):
            return self._choices
        return GroupedRegionIterator(self)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)  # type: ignore[assignment]
