"""What the built package ships: the apps production runs, not demo data or test helpers."""

import tomllib
from pathlib import Path

from django.conf import settings
from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[2]


def shipped_packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    return find_packages(where=str(ROOT), include=include)


def test_the_demo_and_the_tests_are_not_shipped():
    packages = shipped_packages()
    assert {
        "kimportal",
        "accounts",
        "regions",
        "communities",
        "posts",
        "siaran",
        "aspirations",
        "stats",
    } <= set(packages)
    assert not [p for p in packages if p.split(".")[0] in ("demo", "tests", "bench")], packages


def test_no_demo_or_test_helper_module_hides_in_a_shipped_package():
    modules = {
        path.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")
        for package in shipped_packages()
        for path in (ROOT / package.replace(".", "/")).glob("*.py")
    }
    assert "kimportal.testing" not in modules
    assert not [m for m in modules if m.rsplit(".", 1)[-1] in ("demo", "testing")], modules
    assert not [m for m in modules if m.endswith(".seed_demo")], modules


def test_the_demo_app_is_installed_from_the_checkout():
    assert "demo" in settings.INSTALLED_APPS
