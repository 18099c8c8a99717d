#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path

# The project configuration lives in site/, but "site" is a standard-library module that
# Python imports at start-up, so a package named "site" can never be imported. The package
# inside it is called "tpmsite"; putting site/ on the path makes it importable.
sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpmsite.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
