"""LiteLLM's two error shapes: its own `{"error": {...}}` and FastAPI's 422 `{"detail": [...]}`."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse


def litellm_error(
    status: int,
    message: str,
    *,
    error_type: str = "internal_server_error",
    param: str | None = "None",
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    # LiteLLM sends `param` as the string "None" when there is none, and `code` as a string.
    body = {"error": {"message": message, "type": error_type, "param": param, "code": str(status)}}
    return JSONResponse(body, status_code=status, headers=headers)


def bad_request(detail: str) -> JSONResponse:
    """A 400 raised inside `/key/list`: LiteLLM wraps its HTTPException detail dict with str()."""
    return litellm_error(400, str({"error": detail}))


def validation_error(errors: list[dict[str, Any]]) -> JSONResponse:
    return JSONResponse({"detail": errors}, status_code=422)


def int_parsing(name: str, raw: str) -> dict[str, Any]:
    return {
        "type": "int_parsing",
        "loc": ["query", name],
        "msg": "Input should be a valid integer, unable to parse string as an integer",
        "input": raw,
    }


def bool_parsing(name: str, raw: str) -> dict[str, Any]:
    return {
        "type": "bool_parsing",
        "loc": ["query", name],
        "msg": "Input should be a valid boolean, unable to interpret input",
        "input": raw,
    }


def greater_than_equal(name: str, raw: str, bound: int) -> dict[str, Any]:
    return {
        "type": "greater_than_equal",
        "loc": ["query", name],
        "msg": f"Input should be greater than or equal to {bound}",
        "input": raw,
        "ctx": {"ge": bound},
    }


def less_than_equal(name: str, raw: str, bound: int) -> dict[str, Any]:
    return {
        "type": "less_than_equal",
        "loc": ["query", name],
        "msg": f"Input should be less than or equal to {bound}",
        "input": raw,
        "ctx": {"le": bound},
    }


# Bodies for `Faults.fail_status`, as LiteLLM answers them (see errors.json of the contract).
_FAILURE_BODIES: dict[int, tuple[str, str]] = {
    500: ("Authentication Error, Database not connected", "internal_server_error"),
    503: ("Database unavailable", "no_db_connection"),
}


def injected_failure(status: int) -> JSONResponse:
    message, error_type = _FAILURE_BODIES.get(
        status, (f"Injected failure (HTTP {status})", "internal_server_error")
    )
    return litellm_error(status, message, error_type=error_type)


def rate_limited(retry_after_seconds: int) -> JSONResponse:
    return litellm_error(
        429,
        f"Rate limit exceeded. Try again in {retry_after_seconds} seconds.",
        error_type="throttling_error",
        headers={"Retry-After": str(retry_after_seconds)},
    )
