"""`make fullstack` serves where the README says: port 8000, or PORT when given."""

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
HONCHO = Path(sys.executable).with_name("honcho")


def _fullstack_port(tmp_path, *make_args, env=None) -> str:
    """Run `make fullstack` with the real honcho but stand-ins for the rest: `python` does nothing
    and the Procfile only prints the PORT each process is given."""
    if not shutil.which("make") or not HONCHO.exists():
        pytest.skip("needs make and honcho")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"
    python.write_text("#!/bin/sh\nexit 0\n")
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    (bin_dir / "honcho").symlink_to(HONCHO)
    procfile = tmp_path / "Procfile"
    procfile.write_text('web: echo "web port=$PORT"\n')
    environment = {k: v for k, v in os.environ.items() if k != "PORT"}
    environment.update(PROCFILE=str(procfile), **(env or {}))
    result = subprocess.run(
        # install and assets are taken as done: this is about what honcho is given.
        [
            "make",
            "--no-print-directory",
            "-o",
            "install",
            "-o",
            "assets",
            "fullstack",
            f"BIN={bin_dir}",
            *make_args,
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    found = re.search(r"web port=(\d+)", result.stdout)
    assert found, result.stdout
    return found.group(1)


def test_make_fullstack_serves_on_port_8000_as_the_readme_says(tmp_path):
    assert _fullstack_port(tmp_path) == "8000"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "gunicorn on :8000" in readme


def test_make_fullstack_serves_on_the_port_asked_for(tmp_path):
    assert _fullstack_port(tmp_path, "PORT=8123") == "8123"


def test_make_fullstack_takes_the_port_from_the_environment(tmp_path):
    assert _fullstack_port(tmp_path, env={"PORT": "8124"}) == "8124"


def test_the_procfile_web_process_binds_to_the_port_it_is_given():
    web = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    assert "--bind 127.0.0.1:${PORT" in web
