"""Stand-ins for tests and the demo: the fake LiteLLM server and in-memory port fakes.

A dev-only workspace package: no production package imports it (an import-linter contract) and
the API image does not install it (tests/delivery/test_fakes_stay_out_of_the_api_image.py).
"""
