"""OpenAPI descriptions of the error answers, shared by the routers."""

from __future__ import annotations

from typing import Any

from keydash_api.schemas import ErrorEnvelope


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "Malformed request",
        401: "Not signed in, or the session is invalid or expired",
        403: "Cross-site request refused",
        404: "No key with this id (code key_not_found)",
        413: "Request body too large",
        422: "A parameter or field is invalid (named in details)",
        429: "Too many failed logins; see Retry-After",
        502: "LiteLLM is unreachable, failing, rejected our key, or answered off-contract",
        503: "The view needs every key and the first load is still running: the body's"
        " error.progress says how far it is (code mirror_loading), Retry-After when to ask again",
        504: "LiteLLM did not answer in time",
    }
    return {
        status: {"model": ErrorEnvelope, "description": descriptions[status]} for status in statuses
    }
