from datetime import UTC, datetime

import pytest
from keydash_core.errors import MirrorLoading
from keydash_core.filters import KeyFilters
from keydash_core.freshness import AnswerSource, Freshness
from keydash_core.keys import ApiKey, KeyStatus
from keydash_core.list_keys import ListKeys
from keydash_core.query import KeyQuery, KeySnapshot, SortField, SortOrder, StorePage, StoreView
from keyfactory import make_key
from memory_fakes import InMemoryKeyRepository


def _keys() -> list[ApiKey]:
    return [
        make_key(
            alias="billing-batch-prod",
            description="Nightly invoice summarisation",
            owner_username="Dana Whitfield",
            owner_email="dana@example.com",
            tags=("prod", "finance"),
            allowed_models=("gpt-4o", "gpt-4o-mini"),
        ),
        make_key(
            alias="research-sandbox",
            owner_id="jmo@example.com",
            tags=("experimental",),
        ),
        make_key(description="Support bot", allowed_models=("claude-sonnet-4",)),
        make_key(alias="Ünïcödé — demo", owner_email="kai@example.org", tags=("läbel",)),
    ]


async def _list(keys: list[ApiKey], **query: object) -> list[ApiKey]:
    page = await ListKeys(InMemoryKeyRepository(keys))(KeyQuery(**query))  # type: ignore[arg-type]
    return list(page.items)


@pytest.mark.parametrize(
    ("search", "expected_aliases"),
    [
        ("dana", ["billing-batch-prod"]),
        ("DANA@EXAMPLE", ["billing-batch-prod"]),
        ("finance", ["billing-batch-prod"]),
        ("gpt-4o-mini", ["billing-batch-prod"]),
        ("invoice", ["billing-batch-prod"]),
        ("jmo", ["research-sandbox"]),
        ("support", [None]),
        ("LÄBEL", ["Ünïcödé — demo"]),
        ("prod nightly", ["billing-batch-prod"]),
        ("prod nothing-like-this", []),
        ("sandbox", ["research-sandbox"]),
    ],
)
async def test_search_every_term_matches_some_field(
    search: str, expected_aliases: list[str | None]
) -> None:
    found = await _list(_keys(), search=search, size=100)
    assert sorted(map(str, (key.alias for key in found))) == sorted(map(str, expected_aliases))


async def test_search_term_never_spans_two_fields() -> None:
    # "prod" + "finance" are neighbours in the tags, but no single field holds "prodfinance".
    assert await _list(_keys(), search="prodfinance") == []


async def test_search_treats_regex_and_sql_as_plain_text() -> None:
    keys = [make_key(description="cost (a+b)* ' OR 1=1 --")]
    assert len(await _list(keys, search="(a+b)*")) == 1
    assert len(await _list(keys, search="' OR 1=1")) == 1
    assert await _list(keys, search=".*") == []


async def test_page_reports_totals_after_search() -> None:
    keys = [make_key(tags=("prod",)) for _ in range(7)] + [make_key() for _ in range(3)]
    page = await ListKeys(InMemoryKeyRepository(keys))(KeyQuery(search="prod", page=2, size=3))
    assert (page.total, page.total_pages, page.total_keys, len(page.items)) == (7, 3, 10, 3)


async def test_page_past_the_end_is_empty_not_an_error() -> None:
    page = await ListKeys(InMemoryKeyRepository(_keys()))(KeyQuery(page=9, size=10))
    assert page.items == ()
    assert page.total == 4


async def test_no_keys_at_all() -> None:
    page = await ListKeys(InMemoryKeyRepository([]))(KeyQuery())
    assert (page.total, page.total_pages, page.items) == (0, 0, ())


async def test_partial_keys_are_counted_over_all_keys() -> None:
    keys = [make_key(unreadable_fields=("created_at",)), make_key(tags=("x",))]
    page = await ListKeys(InMemoryKeyRepository(keys))(KeyQuery(search="x"))
    assert page.partial_count == 1
    assert page.total == 1


async def test_pages_cover_every_key_exactly_once_for_every_sort() -> None:
    same_moment = datetime(2026, 5, 1, tzinfo=UTC)
    keys = [
        make_key(
            owner_username=["b", "A", None, "a"][i % 4],
            tags=(("x",) if i % 3 else ()),
            spend=float(i % 2),
            created_at=same_moment if i % 5 == 0 else None if i % 7 == 0 else make_key().created_at,
            status=list(KeyStatus)[i % 3],
        )
        for i in range(53)
    ]
    for field in SortField:
        for order in SortOrder:
            seen: list[str] = []
            for page in range(1, 7):
                seen += [
                    key.id
                    for key in await _list(
                        keys, sort_by=field, sort_order=order, page=page, size=10
                    )
                ]
            assert sorted(seen) == sorted(key.id for key in keys), (field, order)


async def test_a_changed_snapshot_is_reindexed() -> None:
    repository = InMemoryKeyRepository([make_key(alias="old")])
    use_case = ListKeys(repository)
    assert (await use_case(KeyQuery(search="old"))).total == 1
    repository.keys = [make_key(alias="new")]
    assert (await use_case(KeyQuery(search="old"))).total == 0
    assert (await use_case(KeyQuery(search="new"))).total == 1


async def test_default_view_without_a_snapshot_reads_one_store_page() -> None:
    keys = [make_key(alias=f"k{i}") for i in range(30)]
    repository = InMemoryKeyRepository(keys, snapshot_ready=False)
    page = await ListKeys(repository)(KeyQuery(page=2, size=10))
    assert repository.page_reads == [(2, 10)]
    assert repository.reads == 0
    assert (page.total, page.total_keys, page.from_store_page) == (30, 30, True)
    # The store's order is the snapshot's created_at desc order: the same ten keys.
    full = await ListKeys(InMemoryKeyRepository(keys))(KeyQuery(page=2, size=10))
    assert [key.id for key in page.items] == [key.id for key in full.items]


@pytest.mark.parametrize(
    "query",
    [
        KeyQuery(search="k1"),
        KeyQuery(sort_by=SortField.OWNER),
        KeyQuery(sort_by=SortField.ALIAS),
        KeyQuery(filters=KeyFilters(tags=frozenset({"x"}))),
        KeyQuery(filters=KeyFilters(statuses=frozenset({KeyStatus.ACTIVE, KeyStatus.EXPIRED}))),
    ],
)
async def test_views_the_store_cannot_answer_need_the_full_snapshot(query: KeyQuery) -> None:
    repository = InMemoryKeyRepository([make_key()], snapshot_ready=False)
    # While the mirror loads they say so at once; LiteLLM is not asked for a page it cannot do.
    with pytest.raises(MirrorLoading):
        await ListKeys(repository)(query)
    assert repository.page_reads == []
    repository.snapshot_ready = True
    await ListKeys(repository)(query)
    assert (repository.reads, repository.page_reads) == (1, [])


async def test_a_capped_snapshot_says_how_many_keys_the_store_holds() -> None:
    snapshot = KeySnapshot(keys=(make_key(),), fetched_at=datetime.now(UTC), upstream_total=5)

    class Capped:
        async def snapshot(self) -> KeySnapshot:
            return snapshot

        async def store_page(self, view: StoreView) -> StorePage:
            raise AssertionError("not used")

        def freshness(self) -> Freshness:
            return Freshness(as_of=snapshot.fetched_at)

    page = await ListKeys(Capped())(KeyQuery(search=""))
    assert (page.total_keys, page.store_total, page.truncated) == (1, 5, True)


@pytest.mark.parametrize(
    "query",
    [
        KeyQuery(sort_order=SortOrder.ASC),
        KeyQuery(sort_by=SortField.SPEND),
        KeyQuery(sort_by=SortField.SPEND, sort_order=SortOrder.ASC),
        KeyQuery(filters=KeyFilters(statuses=frozenset({KeyStatus.BLOCKED}))),
    ],
)
async def test_views_the_store_answers_alone_read_one_page_while_loading(query: KeyQuery) -> None:
    keys = [
        make_key(alias=f"k{i}", spend=float(i), status=list(KeyStatus)[i % 3]) for i in range(9)
    ]
    repository = InMemoryKeyRepository(keys, snapshot_ready=False)
    page = await ListKeys(repository)(query)
    assert repository.reads == 0
    assert [(v.sort_by, v.sort_order) for v in repository.views] == [query.sort]
    assert page.freshness is not None
    assert page.freshness.source is AnswerSource.LITELLM_PAGE
    # The same keys in the same order as the mirror gives once loaded.
    full = await ListKeys(InMemoryKeyRepository(keys))(query)
    assert [key.id for key in page.items] == [key.id for key in full.items]


async def test_undated_keys_come_first_in_the_default_view_on_both_paths() -> None:
    dated = [make_key(alias=f"d{i}") for i in range(12)]
    undated = [make_key(alias=f"u{i}", created_at=None) for i in range(5)]
    keys = dated + undated
    loading = InMemoryKeyRepository(keys, snapshot_ready=False)
    loaded = InMemoryKeyRepository(keys)
    for page in (1, 2, 3, 4):
        query = KeyQuery(page=page, size=5)
        from_store = await ListKeys(loading)(query)
        from_mirror = await ListKeys(loaded)(query)
        assert from_store.from_store_page
        assert not from_mirror.from_store_page
        assert [k.id for k in from_store.items] == [k.id for k in from_mirror.items]
    first = await ListKeys(loaded)(KeyQuery(size=5))
    assert all(key.created_at is None for key in first.items)
