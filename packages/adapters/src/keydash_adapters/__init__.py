"""Adapters that implement the Keydash core's ports: LiteLLM over HTTP, JWT, credentials, fakes."""
