"""docker-compose.yml and the Dockerfile: valid by the Compose specification's schema, and
running the same processes as `make prod` (deploy/prod.py), through deploy/entrypoint.sh."""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"


def _prod():
    spec = importlib.util.spec_from_file_location("deploy_prod", ROOT / "deploy" / "prod.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _app_services(compose: dict) -> dict[str, list[str]]:
    """Services built from the app image (the default target), with their commands."""
    return {
        name: service["command"]
        for name, service in compose["services"].items()
        if service.get("build") == "." or (service.get("build") or {}) == {"context": "."}
    }


def _dockerfile_stages() -> dict[str, str]:
    stages, name, lines = {}, "", []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        found = re.match(r"FROM\s+\S+(?:\s+AS\s+(\S+))?", line, re.IGNORECASE)
        if found:
            if name:
                stages[name] = "\n".join(lines)
            name, lines = found.group(1) or f"final:{line}", []
        lines.append(line)
    stages[name] = "\n".join(lines)
    return stages


def test_compose_file_is_valid_by_the_compose_specification():
    try:
        import check_jsonschema  # noqa: F401
    except ImportError:
        skip_or_fail("needs check-jsonschema (pip install -e '.[dev]')")
    result = subprocess.run(  # noqa: S603 - fixed argv
        [
            sys.executable, "-m", "check_jsonschema",
            "--builtin-schema", "vendor.compose-spec", str(COMPOSE),
        ],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_the_same_processes_as_make_prod():
    prod = _prod()
    services = _app_services(_compose())
    assert services, "no service of docker-compose.yml is built from the app image"
    expected = {"setup": prod.SETUP, **prod.PROCESSES}
    assert services == expected


def test_the_image_runs_the_web_role_by_default_as_a_non_root_user():
    stages = _dockerfile_stages()
    app = stages["app"]
    cmd = re.findall(r"^CMD\s+(\[.*\])\s*$", app, re.MULTILINE)
    assert [json.loads(c) for c in cmd] == [_prod().PROCESSES["web"]]
    assert re.search(r"^USER\s+(?!root)\w+", app, re.MULTILINE)
    assert list(stages)[-1].startswith("final:") and stages[list(stages)[-1]].strip() == (
        "FROM app"
    ), "the last stage (what `docker build .` makes) must be the app"


def test_every_service_that_serves_requests_has_a_health_check():
    compose = _compose()
    for name in ("db", "redis", "minio", "web", "worker"):
        assert "healthcheck" in compose["services"][name], name
    nginx = _dockerfile_stages()["nginx"]
    assert "HEALTHCHECK" in nginx and "/healthz" in nginx
    assert "/readyz" in json.dumps(compose["services"]["web"]["healthcheck"])


@pytest.mark.parametrize("role", ["setup", "web", "worker", "beat"])
def test_each_role_of_the_entrypoint_is_one_the_script_knows(role):
    script = (ROOT / "deploy" / "entrypoint.sh").read_text()
    assert re.search(rf"^\s+{role}\)$", script, re.MULTILINE)
