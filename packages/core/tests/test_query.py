import pytest
from keydash_core.errors import InvalidQuery
from keydash_core.query import KeyQuery, SortField, SortOrder


def test_defaults_are_newest_first_first_page() -> None:
    query = KeyQuery()
    assert (query.sort_by, query.sort_order, query.page, query.size) == (
        SortField.CREATED_AT,
        SortOrder.DESC,
        1,
        25,
    )


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"page": 0}, "page"),
        ({"page": -3}, "page"),
        ({"page": 10**12}, "page"),
        ({"size": 0}, "size"),
        ({"size": 101}, "size"),
        ({"search": "x" * 501}, "search"),
    ],
)
def test_out_of_range_values_name_the_field(fields: dict[str, object], bad_field: str) -> None:
    with pytest.raises(InvalidQuery) as caught:
        KeyQuery(**fields)  # type: ignore[arg-type]
    assert caught.value.field == bad_field


def test_parse_rejects_unknown_sort_field_listing_the_allowed_ones() -> None:
    with pytest.raises(InvalidQuery) as caught:
        KeyQuery.parse(sort_by="token", sort_order="asc", page=1, size=10)
    assert caught.value.field == "sort_by"
    assert "owner" in caught.value.message


def test_parse_rejects_unknown_sort_order() -> None:
    with pytest.raises(InvalidQuery) as caught:
        KeyQuery.parse(sort_by="owner", sort_order="sideways", page=1, size=10)
    assert caught.value.field == "sort_order"


def test_parse_accepts_upper_case_order() -> None:
    assert KeyQuery.parse(sort_by="tags", sort_order="ASC", page=2, size=5).sort_order is (
        SortOrder.ASC
    )


def test_terms_are_casefolded_and_split_on_any_whitespace() -> None:
    assert KeyQuery(search="  Straße\tPROD \n").terms == ("strasse", "prod")


def test_parse_accepts_natural_aliases_for_columns() -> None:
    assert KeyQuery.parse(sort_by="models", sort_order="asc", page=1, size=5).sort_by is (
        SortField.ALLOWED_MODELS
    )
    assert KeyQuery.parse(sort_by="Expires", sort_order="asc", page=1, size=5).sort_by is (
        SortField.EXPIRES_AT
    )
