"""A LiteLLM key that sees only its own user's keys (LiteLLM role `internal_user`)."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable
from typing import Any

from e2e_fake_litellm import new_fake
from e2e_stack import Stack

SCOPED_ROLE = "internal_user"


def scoped_user(records: list[dict[str, Any]]) -> str:
    """A user with a user row and a few keys (2 to 6; its scoped key will be one more)."""
    counts = Counter(
        str(record["user_id"])
        for record in records
        if record.get("user_id") and isinstance(record.get("user"), dict)
    )
    fitting = [(count, user) for user, count in counts.items() if 2 <= count <= 6]
    assert fitting, "no user of the generated keys owns between 2 and 6 of them"
    return max(fitting)[1]


def start_scoped_stack(
    stack_factory: Callable[..., Stack], key_count: int = 60, **api_settings: str
) -> tuple[Stack, str]:
    """A stack whose LITELLM_API_KEY is an `internal_user` key of one user, registered on the
    fake over its control route: LiteLLM lists that user's keys only. Returns the user's id."""
    fake = new_fake(key_count)
    user = scoped_user(fake.keys)
    secret = "sk-e2e-scoped-" + secrets.token_hex(12)
    stack = stack_factory(
        fake=fake,
        before_api=lambda control: control.add_api_key(secret, user, SCOPED_ROLE),
        LITELLM_API_KEY=secret,
        **api_settings,
    )
    return stack, user
