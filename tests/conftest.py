"""Shared fixtures of the test suite."""

# --- Voila servers (tests/servers.py; used by test_voila_render.py and test_browser.py) ---
# --- Chromium with the internet cut off, and a watched tab (tests/browser.py) ---
from browser import browser, page  # noqa: E402, F401
from servers import voila_extension, voila_standalone  # noqa: F401
