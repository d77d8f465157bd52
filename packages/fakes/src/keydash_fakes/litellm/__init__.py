"""A fake LiteLLM proxy that honours the real `GET /key/list` contract, for tests and the demo.

It serves generated keys in LiteLLM's exact record shape, answers LiteLLM's error bodies, and can
be told to misbehave (latency, hangs, failures, 429s, malformed bodies, shifting pages). Keys can
be written (`key_writes`), churned (`churn`, `churn_rate`), compared with the fake's truth
(`FakeLiteLLM.truth`), and paged at a database-like cost (`latency`); `server` has `/key/list`.
Credentials other than the master key (`FakeLiteLLM.add_api_key`, see `callers`) are scoped as
LiteLLM scopes them (`visibility`) and answer `/v2/user/info` and `/key/info` (`whoami`).
"""

from keydash_fakes.litellm.callers import ScopedCaller
from keydash_fakes.litellm.faults import MALFORMED_MODES, Faults
from keydash_fakes.litellm.generator import generate_keys
from keydash_fakes.litellm.latency import REAL_1087, PageLatency
from keydash_fakes.litellm.runner import running_fake_litellm
from keydash_fakes.litellm.server import create_app
from keydash_fakes.litellm.state import DEFAULT_MASTER_KEY, FakeLiteLLM

__all__ = [
    "DEFAULT_MASTER_KEY",
    "MALFORMED_MODES",
    "REAL_1087",
    "FakeLiteLLM",
    "Faults",
    "PageLatency",
    "ScopedCaller",
    "create_app",
    "generate_keys",
    "running_fake_litellm",
]
