"""The filter declarations (filter_table.FILTERS) are the one place a filter is named: check they
fit KeyFilters and FilterColumns, so a filter declared there works everywhere it is derived."""

from __future__ import annotations

from dataclasses import fields

import pytest
from keydash_core.filter_kinds import Filter, KindName
from keydash_core.filter_table import FILTER_OF, FILTERS, FLAG_FILTERS, FilterName
from keydash_core.filters import NO_FILTERS, KeyFilters
from keydash_core.key_index import FilterColumns

# A value that turns each kind on.
_ON = {
    KindName.ENUM_LIST: ["active"],
    KindName.FLAG: True,
    KindName.DAYS: 7,
    KindName.SHARE: 0.5,
    KindName.TEXT_LIST: ["x"],
}


def test_every_filter_name_is_declared_once_in_order() -> None:
    assert [spec.name for spec in FILTERS] == list(FilterName)
    assert len(FILTER_OF) == len(FILTERS)


def test_key_filters_has_exactly_the_declared_fields_defaulting_to_off() -> None:
    declared = {spec.field: spec.kind.default for spec in FILTERS}
    assert {field.name: field.default for field in fields(KeyFilters)} == declared


def test_every_declared_column_is_prepared() -> None:
    prepared = {field.name for field in fields(FilterColumns)}
    assert {spec.column for spec in FILTERS} <= prepared


def test_flags_and_presets() -> None:
    for spec in FILTERS:
        assert (spec.kind.name is KindName.FLAG) == (spec.presets == (True,)), spec.name
    assert [spec.name for spec in FLAG_FILTERS] == [
        "never_expires",
        "all_models",
        "owner_missing",
        "team_missing",
        "never_used",
        "last_use_unknown",
        "zombie",
        "rotation_overdue",
        "no_rotation_policy",
        "budget_at_risk",
    ]


@pytest.mark.parametrize("spec", FILTERS, ids=lambda spec: spec.name)
def test_each_declared_filter_parses_activates_and_lifts(spec: Filter) -> None:
    name = FilterName(spec.name)
    filters = KeyFilters.parse(**{name: _ON[spec.kind.name]})
    assert filters.active == (name,)
    assert not filters.is_empty
    assert filters.without(name) == NO_FILTERS


def test_an_unknown_filter_is_refused() -> None:
    with pytest.raises(TypeError, match="unknown filters: teem_missing"):
        KeyFilters.parse(teem_missing=True)
