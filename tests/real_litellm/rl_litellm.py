"""The real LiteLLM proxy's admin API (the proxy itself: rl_proxy.py).

The only code in the repository that reads `../shared/real-litellm` (the machine's real-LiteLLM
tooling). Nothing here is ever stopped or killed by name: the proxy is stopped with the tool's own
`stop` (by its PID file), and only if this suite started it; the PostgreSQL cluster is never
stopped here (`stop` itself stops it only when its `start` started it).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from typing import Any

import httpx
from rl_common import LOOPBACK
from rl_proxy import Proxy

MOCK_MODEL = os.environ.get("KEYDASH_REAL_LITELLM_MOCK_MODEL", "mock-gpt")


# --- LiteLLM's admin API --------------------------------------------------------------------------


class LiteLLMError(Exception):
    def __init__(self, what: str, response: httpx.Response) -> None:
        super().__init__(f"{what}: HTTP {response.status_code}: {response.text[:600]}")
        self.status = response.status_code


@dataclass
class Created:
    """What this run created in LiteLLM, for the cleanup at the end."""

    tokens: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)


class Admin:
    """LiteLLM's admin API with a proxy-admin (master) key; records what it creates."""

    def __init__(self, proxy: Proxy) -> None:
        self.proxy = proxy
        self.http = httpx.Client(
            base_url=proxy.url,
            headers={"Authorization": f"Bearer {proxy.master_key}"},
            timeout=httpx.Timeout(60, connect=5),
        )
        self.created = Created()
        self.calls = 0

    def close(self) -> None:
        self.http.close()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        self.calls += 1
        response = self.http.post(path, json=body)
        if response.status_code != 200:
            raise LiteLLMError(f"POST {path}", response)
        return response.json()

    def new_user(
        self,
        user_id: str,
        *,
        alias: str | None = None,
        email: str | None = None,
        role: str = "internal_user",
    ) -> None:
        body: dict[str, Any] = {"user_id": user_id, "user_role": role, "auto_create_key": False}
        if alias is not None:
            body["user_alias"] = alias
        if email is not None:
            body["user_email"] = email
        self.post("/user/new", body)
        self.created.users.append(user_id)

    def new_team(self, team_id: str, alias: str) -> None:
        self.post("/team/new", {"team_id": team_id, "team_alias": alias})
        self.created.teams.append(team_id)

    def generate(self, body: dict[str, Any]) -> dict[str, Any]:
        """A new key; the answer holds `key` (the secret) and `token` (its hash, Keydash's id)."""
        answer: dict[str, Any] = self.post("/key/generate", body)
        assert isinstance(answer, dict), answer
        assert isinstance(answer.get("key"), str), answer
        assert answer["key"].startswith("sk-"), answer
        assert isinstance(answer.get("token"), str), answer
        assert answer["token"], answer
        self.created.tokens.append(answer["token"])
        return answer

    def update(self, token: str, **fields: Any) -> None:
        self.post("/key/update", {"key": token, **fields})

    def block(self, token: str) -> None:
        self.post("/key/block", {"key": token})

    def unblock(self, token: str) -> None:
        self.post("/key/unblock", {"key": token})

    def delete(self, tokens: list[str]) -> None:
        self.post("/key/delete", {"keys": tokens})

    def regenerate(self, token: str) -> httpx.Response:
        self.calls += 1
        return self.http.post("/key/regenerate", json={"key": token})

    def chat(self, secret: str) -> httpx.Response:
        """One completion through the mocked model with a virtual key: it records spend."""
        self.calls += 1
        return httpx.post(
            self.proxy.url + "/chat/completions",
            headers={"Authorization": f"Bearer {secret}"},
            json={"model": MOCK_MODEL, "messages": [{"role": "user", "content": "hi"}]},
            timeout=60,
        )

    def has_mock_model(self) -> bool:
        response = self.http.get("/v1/models")
        if response.status_code != 200:
            return False
        return any(item.get("id") == MOCK_MODEL for item in response.json().get("data", []))

    def key_list_page(self, page: int, size: int = 100, key: str | None = None) -> httpx.Response:
        headers = {"x-litellm-api-key": key} if key else None
        return self.http.get(
            "/key/list",
            params={
                "page": page,
                "size": size,
                "return_full_object": "true",
                "expand": "user",
            },
            headers=headers,
        )

    def list_all(self) -> list[dict[str, Any]]:
        """Every `/key/list` record: all pages in LiteLLM's default order, deduplicated by token."""
        records: dict[str, dict[str, Any]] = {}
        page, total_pages = 1, 1
        while page <= total_pages:
            response = self.key_list_page(page)
            if response.status_code != 200:
                raise LiteLLMError(f"GET /key/list page {page}", response)
            body = response.json()
            for record in body["keys"]:
                records.setdefault(record["token"], record)
            total_pages = max(total_pages, int(body.get("total_pages") or 1))
            page += 1
        return list(records.values())

    def cleanup(self) -> list[str]:
        """Delete what this run created; returns the problems (cleanup never fails a run)."""
        problems = []
        tokens = list(dict.fromkeys(self.created.tokens))
        for start in range(0, len(tokens), 50):
            chunk = tokens[start : start + 50]
            try:
                self.post("/key/delete", {"keys": chunk})
            except LiteLLMError:
                # Some of the chunk are gone already (deleted by a test): delete one by one.
                for token in chunk:
                    with contextlib.suppress(LiteLLMError):
                        self.post("/key/delete", {"keys": [token]})
            except httpx.HTTPError as error:
                problems.append(f"deleting keys: {error!r}")
        if self.created.teams:
            try:
                self.post("/team/delete", {"team_ids": self.created.teams})
            except (LiteLLMError, httpx.HTTPError) as error:
                problems.append(f"deleting teams: {error}")
        if self.created.users:
            try:
                self.post("/user/delete", {"user_ids": self.created.users})
            except (LiteLLMError, httpx.HTTPError) as error:
                problems.append(f"deleting users: {error}")
        return problems


def loopback_url(port: int) -> str:
    return f"http://{LOOPBACK}:{port}"
