"""Browser tests (Chromium through Playwright); their fixtures are in conftest.py here."""

# Chromium's switches for headless runs here and in scripts/screenshots.py.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
