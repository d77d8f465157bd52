"""Adapters for who may log in and how a session is carried."""
