"""The project's own source files, for tests that check a rule across the whole tree."""

import os
from pathlib import Path

from django.conf import settings

SKIP = {".venv", "node_modules", "migrations", "tests", ".git", "staticfiles", "var", "__pycache__"}


def project_files(*suffixes: str) -> list[Path]:
    root = Path(settings.BASE_DIR)
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if name not in SKIP and not name.startswith(".")]
        found += [Path(folder) / name for name in files if name.endswith(suffixes)]
    return sorted(found)
