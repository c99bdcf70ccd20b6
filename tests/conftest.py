"""Shared fixtures of the test suite."""

# --- Voila servers (tests/servers.py; used by test_voila_render.py and test_browser.py) ---
from servers import voila_extension, voila_standalone  # noqa: F401
