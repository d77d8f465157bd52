"""The sync engine against the fake LiteLLM: first load, incremental passes, deletions,
reconcile, failures. The fake honours what the real proxy showed (docs/litellm-contract.md)."""

from __future__ import annotations

import asyncio

import pytest
from keydash_core.freshness import SyncState
from keydash_core.keys import KeyStatus
from sync_support import make_fake, mirrored, requests, truth, wired_sync


async def test_first_load_mirrors_every_key_in_one_read_of_each_page() -> None:
    fake = make_fake(1_234)
    async with wired_sync(fake) as sync:
        assert sync.status().state is SyncState.STARTING
        await sync.run_once()
        assert sync.status().state is SyncState.READY
        assert mirrored(sync) == truth(fake)
        assert requests(sync) == 13  # ceil(1234 / 100) pages, nothing else
        assert sync.progress().loaded == 1_234


async def test_an_idle_pass_costs_two_requests_and_changes_nothing() -> None:
    fake = make_fake(500)
    async with wired_sync(fake) as sync:
        await sync.run_once()
        before, published = requests(sync), sync.snapshot()
        await sync.run_once()
        assert requests(sync) - before == 2  # changed-first page + the archive's first page
        assert sync.snapshot() is published
        assert not sync.order_ignored


async def test_creates_updates_blocks_and_spend_show_after_one_pass() -> None:
    fake = make_fake(800)
    async with wired_sync(fake) as sync:
        await sync.run_once()
        created = fake.create_key({"key_alias": "fresh-key"})
        victim = fake.keys[400]["token"]
        fake.block_key(victim)
        spender = fake.keys[700]["token"]
        fake.spend_key(spender, 2.5)
        before = requests(sync)
        await sync.run_once()
        assert requests(sync) - before <= 3
        snapshot = sync.snapshot()
        assert snapshot is not None
        by_id = {key.id: key for key in snapshot.keys}
        assert by_id[created["token"]].alias == "fresh-key"
        assert by_id[victim].status is KeyStatus.BLOCKED
        assert mirrored(sync) == truth(fake)


async def test_deleted_keys_leave_with_the_archive_and_regenerated_ones_in_the_same_pass() -> None:
    fake = make_fake(600)
    async with wired_sync(fake, reconcile_seconds=3600) as sync:
        await sync.run_once()
        # Deleting a key LiteLLM wrote recently puts it on the archive's first page.
        token = fake.keys[5]["token"]
        fake.spend_key(token, 1.0)
        fake.delete_key(token)
        await sync.run_once()
        assert token not in mirrored(sync)
        old = fake.keys[300]["token"]
        fake.regenerate_key(old)
        before = requests(sync)
        await sync.run_once()
        # Not archived by LiteLLM: the pass recognises the row under its new token, checks the
        # old token once by exact lookup, and retires it.
        assert mirrored(sync) == truth(fake)
        assert requests(sync) - before == 3


async def test_a_secret_made_and_deleted_twice_leaves_the_archive_in_use() -> None:
    # LiteLLM archives a row per deletion: a key made again with the same secret and deleted again
    # has two archive rows with one token (seen on LiteLLM 1.108.7). Deletions must still be seen.
    fake = make_fake(300)
    async with wired_sync(fake) as sync:
        await sync.run_once()
        for _ in range(2):
            fake.delete_key(fake.create_key({"key": "sk-made-twice-00000000000000"})["token"])
        await sync.run_once()
        victim = fake.keys[150]["token"]
        fake.delete_key(victim)
        before = requests(sync)
        await sync.run_once()
        assert requests(sync) - before == 2  # changed-first page + the archive's first page
        assert victim not in mirrored(sync)
        assert mirrored(sync) == truth(fake)


async def test_a_walk_asks_the_archive_again_after_an_answer_that_was_not_one() -> None:
    fake = make_fake(300)
    async with wired_sync(fake) as sync:
        await sync.run_once()
        original = fake.request_started

        def archive_refused(params: dict[str, str]) -> None:
            original(params)  # once: this pass's archive read answers 400, as without an archive
            fake.faults.fail_status = 400 if params.get("status") == "deleted" else None

        fake.request_started = archive_refused  # type: ignore[method-assign]
        before = requests(sync)
        await sync.run_once()
        fake.request_started = original  # type: ignore[method-assign]
        fake.faults.fail_status = None
        assert requests(sync) - before == 2
        await sync.run_once()
        assert requests(sync) - before == 3  # archive given up: the changed-first page only
        await sync.reconcile()
        before = requests(sync)
        await sync.run_once()
        assert requests(sync) - before == 2  # asked again after the walk


@pytest.mark.parametrize("seed", [1, 2])
async def test_churn_then_quiet_leaves_the_mirror_equal_to_litellm(seed: int) -> None:
    fake = make_fake(2_000, seed=seed)
    async with wired_sync(fake, interval_seconds=1, reconcile_seconds=5) as sync:
        await sync.run_once()
        for round_ in range(10):
            fake.churn(40, seed=seed * 100 + round_)
            await sync.run_once()
        # Quiet: what the passes could not see (old keys deleted, regenerations) the walk fixes.
        await sync.run_once()
        await sync.reconcile()
        await sync.run_once()
        assert mirrored(sync) == truth(fake)


async def test_a_litellm_that_ignores_sort_by_has_every_page_read_and_nothing_missed() -> None:
    fake = make_fake(850)
    fake.faults.ignore_sort_by = True  # answers in created_at order whatever sort_by says
    async with wired_sync(fake) as sync:
        await sync.run_once()
        oldest = min(fake.keys, key=lambda row: str(row["created_at"]))["token"]
        fake.block_key(oldest)  # its row moves to now, but this LiteLLM still lists it last
        before = requests(sync)
        await sync.run_once()
        assert sync.order_ignored
        assert requests(sync) - before == 9 + 1  # every page of 850 keys, then the archive
        snapshot = sync.snapshot()
        assert snapshot is not None
        assert {key.id: key for key in snapshot.keys}[oldest].status is KeyStatus.BLOCKED
        assert mirrored(sync) == truth(fake)


async def test_a_failing_pass_keeps_the_mirror_and_marks_it_stale_until_one_succeeds() -> None:
    fake = make_fake(300)
    async with wired_sync(fake) as sync:
        await sync.run_once()
        served = sync.snapshot()
        fake.faults.fail_status = 500
        with pytest.raises(Exception, match="HTTP 500"):
            await sync.run_once()
        freshness = sync.freshness()
        assert sync.snapshot() is served
        assert freshness.stale
        assert freshness.last_error is not None
        assert freshness.last_error.code == "upstream_error"
        assert freshness.last_error.message.startswith("LiteLLM answered with an error (HTTP 500")
        fake.faults.fail_status = 503
        with pytest.raises(Exception, match="HTTP 503"):
            await sync.run_once()
        later = sync.freshness().last_error
        assert later is not None
        # The latest cause, since the first failure: "LiteLLM has not answered since ...".
        assert (later.at, "HTTP 503" in later.message) == (freshness.last_error.at, True)
        fake.faults.fail_status = None
        await sync.run_once()
        assert not sync.freshness().stale
        assert sync.freshness().last_error is None


async def test_a_failed_first_load_resumes_without_rereading_done_pages() -> None:
    fake = make_fake(1_000)
    async with wired_sync(fake) as sync:
        fake.faults.fail_status = 503
        fake.faults.fail_count = 1
        with pytest.raises(Exception, match="HTTP 503"):
            await sync.run_once()
        assert sync.status().state is SyncState.LOADING
        await sync.run_once()
        assert mirrored(sync) == truth(fake)


async def test_an_unexpected_error_in_a_pass_is_reported_and_the_loop_goes_on() -> None:
    fake = make_fake(50)
    async with wired_sync(fake, interval_seconds=0.2) as sync:
        calls = {"n": 0}
        original = sync.run_once

        async def flaky() -> None:
            calls["n"] += 1
            if calls["n"] == 1:
                raise RuntimeError("a bug")
            await original()

        sync.run_once = flaky  # type: ignore[method-assign]
        loop = asyncio.ensure_future(sync.run())
        try:
            for _ in range(100):
                if sync.ready:
                    break
                await asyncio.sleep(0.05)
        finally:
            loop.cancel()
        assert sync.ready
        assert calls["n"] >= 2
