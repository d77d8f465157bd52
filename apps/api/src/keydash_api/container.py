"""The one place that chooses adapters. Tests override providers to plug in fakes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
from dependency_injector import containers, providers
from keydash_adapters.auth.credentials import EnvCredentialVerifier
from keydash_adapters.auth.jwt_tokens import JwtTokenService
from keydash_adapters.auth.throttle import InMemoryLoginThrottle
from keydash_adapters.clock import SystemClock
from keydash_adapters.litellm.client import LiteLLMKeyListClient
from keydash_adapters.litellm.key_scope import KeyScopeProbe
from keydash_adapters.litellm.mirrored_repository import MirroredKeyRepository
from keydash_adapters.litellm.reader import PageReader
from keydash_adapters.litellm.readiness import LiteLLMReadiness
from keydash_adapters.litellm.retry import RetryPolicy
from keydash_adapters.litellm.sync import KeySync, SyncSettings
from keydash_adapters.litellm.usage import LiteLLMUsageSource
from keydash_core.export_keys import ExportKeys
from keydash_core.facets import CountFacets
from keydash_core.key_index import KeyIndexes
from keydash_core.key_usage import GetKeyUsage
from keydash_core.list_keys import ListKeys
from keydash_core.login import LogIn

from keydash_api.client_address import ClientAddressResolver
from keydash_api.metrics import Metrics
from keydash_api.settings import Settings


def _http_client(settings: Settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=str(settings.litellm_base_url).rstrip("/"),
        timeout=httpx.Timeout(
            settings.upstream_read_timeout_seconds,
            connect=settings.upstream_connect_timeout_seconds,
        ),
        limits=httpx.Limits(max_connections=settings.upstream_concurrency * 2),
        follow_redirects=False,
    )


def _secret(settings: Settings, name: str) -> str:
    value: str = getattr(settings, name).get_secret_value()
    return value


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    metrics = providers.Singleton(Metrics)
    clock = providers.Singleton(SystemClock)

    http_client = providers.Singleton(_http_client, settings)
    retry_policy = providers.Singleton(
        RetryPolicy,
        max_attempts=settings.provided.upstream_max_attempts,
        deadline_seconds=settings.provided.upstream_deadline_seconds,
    )
    key_list_client = providers.Singleton(
        LiteLLMKeyListClient,
        http_client,
        api_key=providers.Callable(_secret, settings, "litellm_api_key"),
        timeout=http_client.provided.timeout,
        policy=retry_policy,
        observer=metrics,
    )
    # One index of the latest snapshot, shared: the table, facets and export derive it once.
    key_indexes = providers.Singleton(KeyIndexes)
    # One bound on calls to LiteLLM for the replica, shared by the sync's reader and the views'.
    upstream_limit = providers.Singleton(asyncio.Semaphore, settings.provided.upstream_concurrency)
    page_reader = providers.Singleton(PageReader, key_list_client, clock, limit=upstream_limit)
    sync_reader = providers.Singleton(PageReader, key_list_client, clock, limit=upstream_limit)
    sync_settings = providers.Singleton(
        SyncSettings,
        interval_seconds=settings.provided.sync_interval_seconds,
        reconcile_seconds=settings.provided.sync_reconcile_seconds,
        overlap_seconds=settings.provided.sync_overlap_seconds,
        reconcile_pause_seconds=settings.provided.sync_reconcile_pause_seconds,
        concurrency=settings.provided.upstream_concurrency,
        max_keys=settings.provided.max_keys,
    )
    # The mirror and the loop that keeps it; started with the app (app.py), not by a request.
    key_sync = providers.Singleton(
        KeySync,
        sync_reader,
        clock,
        sync_settings,
        prepare=key_indexes.provided.prepare,
        observer=metrics,
    )
    key_repository = providers.Singleton(
        MirroredKeyRepository,
        key_sync,
        page_reader,
        page_ttl_seconds=settings.provided.cache_ttl_seconds,
    )
    key_scope_probe = providers.Singleton(
        KeyScopeProbe,
        http_client,
        api_key=providers.Callable(_secret, settings, "litellm_api_key"),
        sync=key_sync,
    )
    list_keys = providers.Singleton(ListKeys, key_repository, key_indexes)
    count_facets = providers.Singleton(CountFacets, key_repository, key_indexes)
    export_keys = providers.Singleton(ExportKeys, key_repository, key_indexes)
    readiness = providers.Singleton(LiteLLMReadiness, key_list_client)
    usage_source = providers.Singleton(
        LiteLLMUsageSource,
        http_client,
        api_key=providers.Callable(_secret, settings, "litellm_api_key"),
        clock=clock,
        deadline_seconds=settings.provided.upstream_deadline_seconds,
    )
    key_usage = providers.Singleton(GetKeyUsage, key_repository, usage_source, clock)

    token_service = providers.Singleton(
        JwtTokenService,
        providers.Callable(_secret, settings, "jwt_secret"),
        clock,
        lifetime=providers.Callable(timedelta, seconds=settings.provided.token_lifetime_seconds),
    )
    credentials = providers.Singleton(
        EnvCredentialVerifier,
        settings.provided.admin_username,
        providers.Callable(_secret, settings, "admin_password"),
    )
    login_throttle = providers.Singleton(
        InMemoryLoginThrottle,
        max_failures_per_address=settings.provided.login_max_failures_per_address,
        max_failures_per_username=settings.provided.login_max_failures_per_username,
        window_seconds=settings.provided.login_throttle_window_seconds,
    )
    log_in = providers.Singleton(LogIn, credentials, token_service, login_throttle)
    client_address = providers.Singleton(
        ClientAddressResolver, settings.provided.trusted_proxy_list
    )
