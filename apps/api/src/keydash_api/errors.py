"""The one place where errors become HTTP answers, all in the same envelope."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from keydash_core.errors import (
    InvalidCredentials,
    InvalidQuery,
    InvalidToken,
    KeydashError,
    KeyNotFound,
    MirrorLoading,
    TokenExpired,
    TooManyAttempts,
    UpstreamError,
    UpstreamTimeout,
    upstream_words,
)
from starlette.exceptions import HTTPException as StarletteHTTPException

from keydash_api.request_context import current_request_id
from keydash_api.schemas import ErrorBody, ErrorDetail, ErrorEnvelope
from keydash_api.status_schemas import SyncProgressOut

log = structlog.get_logger("keydash.errors")

_HTTP_CODES = {
    400: "invalid_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


class ApiError(Exception):
    """An HTTP-level refusal raised by the API layer itself (auth, origin, body size)."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    details: Sequence[ErrorDetail] | None = None,
    headers: dict[str, str] | None = None,
    progress: SyncProgressOut | None = None,
) -> JSONResponse:
    body = ErrorEnvelope(
        error=ErrorBody(
            code=code,
            message=message,
            request_id=current_request_id(),
            details=list(details) if details else None,
            progress=progress,
        )
    )
    dumped = body.model_dump(exclude_none=True)
    if progress is not None:
        # Unknown total and estimate are null in the schema, not missing.
        dumped["error"]["progress"] = progress.model_dump()
    return JSONResponse(
        dumped,
        status_code=status,
        headers={"cache-control": "no-store", **(headers or {})},
    )


def _domain_response(error: KeydashError) -> JSONResponse:
    match error:
        case InvalidQuery():
            detail = ErrorDetail(field=error.field, message=error.message)
            return error_response(422, "invalid_query", str(error), details=[detail])
        case InvalidCredentials():
            return error_response(401, "invalid_credentials", "Wrong username or password.")
        case TooManyAttempts():
            wait = error.retry_after_seconds
            return error_response(
                429,
                "too_many_attempts",
                f"Too many failed logins. Try again in {wait} seconds.",
                headers={"retry-after": str(wait)},
            )
        case TokenExpired():
            return error_response(401, "token_expired", "Your session expired. Sign in again.")
        case InvalidToken():
            return error_response(401, "invalid_token", "Your session is not valid. Sign in again.")
        case KeyNotFound():
            return error_response(404, "key_not_found", "No key with this id in LiteLLM.")
        case MirrorLoading() if error.cause is not None:
            return _domain_response(error.cause)
        case MirrorLoading():
            return _loading_response(error)
        case UpstreamTimeout():
            return error_response(504, *upstream_words(error))
        case UpstreamError():
            return error_response(502, *upstream_words(error))
    return error_response(500, "internal_error", "Something went wrong on our side.")


def _loading_response(error: MirrorLoading) -> JSONResponse:
    progress = SyncProgressOut(
        loaded=error.loaded, total=error.total, eta_seconds=error.eta_seconds
    )
    of_total = f" of {error.total:,}" if error.total is not None else ""
    left = f", about {error.eta_seconds:.0f} s left" if error.eta_seconds is not None else ""
    message = (
        f"Keydash is still loading keys from LiteLLM ({error.loaded:,}{of_total}{left}). "
        "This view needs every key; it answers once the load ends."
    )
    # Come back soon, but not sooner than a couple of seconds, nor later than the load needs.
    retry = min(10, max(2, round(error.eta_seconds or 5)))
    return error_response(
        503, "mirror_loading", message, headers={"retry-after": str(retry)}, progress=progress
    )


def _field_name(location: Sequence[Any]) -> str:
    parts = [str(part) for part in location if part not in ("query", "body", "path", "header")]
    return ".".join(parts) or "body"


def _validation_response(error: RequestValidationError) -> JSONResponse:
    problems = error.errors()
    if any(problem.get("type") == "json_invalid" for problem in problems):
        return error_response(400, "invalid_request", "The request body is not valid JSON.")
    details = [
        ErrorDetail(field=_field_name(problem.get("loc", ())), message=str(problem.get("msg")))
        for problem in problems
    ]
    in_query = all(problem.get("loc", ("",))[0] == "query" for problem in problems)
    summary = "; ".join(f"{detail.field}: {detail.message}" for detail in details)
    return error_response(
        422, "invalid_query" if in_query else "invalid_request", summary, details=details
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(KeydashError)
    async def on_domain_error(_: Request, error: KeydashError) -> JSONResponse:
        if not isinstance(
            error, InvalidQuery | InvalidCredentials | TooManyAttempts | MirrorLoading | KeyNotFound
        ):
            log.warning("request_failed", error=type(error).__name__, detail=str(error))
        return _domain_response(error)

    @app.exception_handler(ApiError)
    async def on_api_error(_: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.code, error.message, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        return _validation_response(error)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(error.status_code, "http_error")
        message = error.detail if isinstance(error.detail, str) else code.replace("_", " ")
        headers = dict(error.headers) if error.headers else None
        return error_response(error.status_code, code, message, headers=headers)
