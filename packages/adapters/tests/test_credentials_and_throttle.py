import pytest
from keydash_adapters.auth.credentials import EnvCredentialVerifier
from keydash_adapters.auth.throttle import InMemoryLoginThrottle


class Ticker:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("username", "password", "accepted"),
    [
        ("admin", "correct horse", True),
        ("admin", "correct hors", False),
        ("Admin", "correct horse", False),
        ("nobody", "correct horse", False),
        ("", "", False),
        ("admin", "correct horse\x00", False),
        ("ädmin", "🔑", False),
    ],
)
def test_only_the_exact_pair_is_accepted(username: str, password: str, accepted: bool) -> None:
    assert EnvCredentialVerifier("admin", "correct horse").verify(username, password) is accepted


def test_address_throttle_engages_after_the_limit_and_releases_after_the_window() -> None:
    ticker = Ticker()
    throttle = InMemoryLoginThrottle(
        max_failures_per_address=3,
        max_failures_per_username=100,
        window_seconds=60,
        monotonic=ticker,
    )
    for _ in range(3):
        assert throttle.retry_after("1.1.1.1", "admin") is None
        throttle.record_failure("1.1.1.1", "admin")
    assert throttle.retry_after("1.1.1.1", "admin") == 60
    ticker.now += 45
    assert throttle.retry_after("1.1.1.1", "admin") == 15
    # Another address and another username are not locked out by this one.
    assert throttle.retry_after("2.2.2.2", "admin") is None
    ticker.now += 15
    assert throttle.retry_after("1.1.1.1", "admin") is None


def test_username_throttle_catches_many_addresses() -> None:
    ticker = Ticker()
    throttle = InMemoryLoginThrottle(
        max_failures_per_address=100,
        max_failures_per_username=3,
        window_seconds=60,
        monotonic=ticker,
    )
    for i in range(3):
        throttle.record_failure(f"10.0.0.{i}", "Admin")
    # Every address that has failed is now locked for that username, whoever it tries...
    assert throttle.retry_after("10.0.0.1", "admin") == 60
    assert throttle.retry_after("10.0.0.1", "someone") is None
    throttle.record_failure("10.9.9.9", "nobody")
    assert throttle.retry_after("10.9.9.9", "admin") == 60
    # ...but an address with no failure of its own (the real admin) may still sign in.
    assert throttle.retry_after("192.168.1.7", "admin") is None
    ticker.now += 60
    assert throttle.retry_after("10.0.0.1", "admin") is None


def test_a_distributed_guesser_gets_one_try_per_fresh_address() -> None:
    throttle = InMemoryLoginThrottle(
        max_failures_per_address=10, max_failures_per_username=3, monotonic=Ticker()
    )
    tries = 0
    for i in range(50):
        address = f"10.1.0.{i}"
        while throttle.retry_after(address, "admin") is None and tries < 10_000:
            throttle.record_failure(address, "admin")
            tries += 1
    # 3 tries before the lock, then one per new address instead of ten.
    assert tries == 3 + (50 - 1)


def test_success_clears_the_counts() -> None:
    throttle = InMemoryLoginThrottle(max_failures_per_address=2, monotonic=Ticker())
    throttle.record_failure("1.1.1.1", "admin")
    throttle.record_success("1.1.1.1", "admin")
    throttle.record_failure("1.1.1.1", "admin")
    assert throttle.retry_after("1.1.1.1", "admin") is None


def test_memory_stays_bounded_under_a_spray_of_usernames() -> None:
    throttle = InMemoryLoginThrottle(monotonic=Ticker())
    for i in range(20_000):
        throttle.record_failure("1.1.1.1", f"user{i}")
    assert len(throttle._by_username._failures) <= 10_000


def test_a_spray_of_usernames_does_not_reset_a_locked_username() -> None:
    ticker = Ticker()
    throttle = InMemoryLoginThrottle(
        max_failures_per_address=1_000_000, max_failures_per_username=3, monotonic=ticker
    )
    for _ in range(3):
        throttle.record_failure("1.1.1.1", "admin")
    for i in range(20_000):
        throttle.record_failure("1.1.1.1", f"user{i}")
    assert throttle.retry_after("1.1.1.1", "admin") is not None
    assert len(throttle._by_username._failures) <= 10_000
