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
    assert throttle.retry_after("10.9.9.9", "admin") == 60
    assert throttle.retry_after("10.9.9.9", "someone") is None


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
