"""`make run` uses SQLite: every migration must apply there too, whatever database the suite uses.

PostgreSQL-only features (GIN and trigram indexes, NULLS FIRST in an index, triggers) need a
SQLite form; this runs the real `migrate` on a fresh SQLite file in a separate process.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_migration_applies_on_a_fresh_sqlite_database(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'make-run.sqlite3'}",
        DJANGO_SETTINGS_MODULE="kimportal.settings",
        DEBUG="true",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
