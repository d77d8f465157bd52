"""Keydash HTTP API: a thin FastAPI layer over the core use cases."""
