"""deploy/nginx.conf.template: renders to a configuration nginx accepts, and agrees with the
app's settings (cookie names, proxy hops, upload limit). Its behaviour through a running stack is
deploy/smoke.py's (make prod-smoke)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from kimportal.lib import page_cache
from tests.prod.test_compose import ROOT, _compose, _prod
from tests.support import skip_or_fail

TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
RENDER = ROOT / "deploy" / "nginx" / "render.sh"


def _values(tmp: Path) -> dict[str, str]:
    for part in ("conf/modules", "conf/http", "static", "cache", "tmp"):
        (tmp / part).mkdir(parents=True, exist_ok=True)
    cert, key = _prod()._certificate(tmp, "kim.test")
    return {
        "NGINX_USER": "www-data" if os.geteuid() == 0 else os.environ.get("USER", "nobody"),
        "NGINX_STATE": str(tmp),
        "NGINX_CONF_DIR": str(tmp / "conf"),
        "NGINX_ACCESS_LOG": str(tmp / "access.log"),
        "NGINX_ERROR_LOG": str(tmp / "error.log"),
        "NGINX_HTTP_LISTEN": "127.0.0.1:8080",
        "NGINX_HTTPS_LISTEN": "127.0.0.1:8443",
        "NGINX_HTTPS_PORT": "8443",
        "TLS_CERT": str(cert),
        "TLS_KEY": str(key),
        "PORTAL_DOMAIN": "kim.test",
        "STATIC_ROOT": str(tmp / "static"),
        "KIM_UPSTREAM": "unix:/tmp/kim-web.sock",
        "MAX_UPLOAD_MB": "160",
        "MEDIA_UPSTREAM": "http://127.0.0.1:9000/kim-publik/public/",
    }


def _render(tmp: Path, values: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed argv
        [str(RENDER), str(TEMPLATE), str(tmp / "nginx.conf")],
        env={"PATH": os.environ["PATH"], **values},
        capture_output=True,
        text=True,
    )


@pytest.fixture
def rendered(tmp_path) -> str:
    if not shutil.which("envsubst") or not shutil.which("openssl"):
        skip_or_fail("needs envsubst (gettext-base) and openssl")
    result = _render(tmp_path, _values(tmp_path))
    assert result.returncode == 0, result.stderr
    return (tmp_path / "nginx.conf").read_text()


def test_the_rendered_configuration_is_accepted_by_nginx(tmp_path, rendered):
    if not shutil.which("nginx"):
        skip_or_fail("needs nginx (apt-get install nginx; .ci/run installs it)")
    modules = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
    if modules.exists():  # as deploy/prod.py does
        shutil.copy(ROOT / "deploy/nginx/brotli-modules.conf", tmp_path / "conf/modules")
        shutil.copy(ROOT / "deploy/nginx/brotli.conf", tmp_path / "conf/http")
    result = subprocess.run(  # noqa: S603 - fixed argv
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],  # noqa: S607
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_every_variable_is_replaced_and_nginx_variables_are_kept(rendered):
    assert "${" not in rendered
    assert "$proxy_add_x_forwarded_for" in rendered and "$http_host" in rendered


def test_an_unset_variable_stops_the_rendering(tmp_path):
    if not shutil.which("envsubst"):
        skip_or_fail("needs envsubst (gettext-base)")
    values = _values(tmp_path)
    del values["MEDIA_UPSTREAM"]
    result = _render(tmp_path, values)
    assert result.returncode != 0 and "MEDIA_UPSTREAM" in result.stderr


def test_the_cache_is_bypassed_by_exactly_the_cookies_the_app_treats_as_personal():
    template = TEMPLATE.read_text()
    personal = re.search(r'map "([^"]+)" \$kim_personal', template).group(1)
    names = set(re.findall(r"\$cookie_(\w+)", personal))
    assert names == {settings.SESSION_COOKIE_NAME, page_cache._MESSAGES_COOKIE}
    assert "$http_authorization" in personal
    assert "proxy_cache_bypass $kim_personal;" in template
    assert "proxy_no_cache $kim_personal;" in template


def test_the_cache_key_names_the_host_the_app_is_given():
    """The app builds absolute links (og:url, feeds, the API's next) from the Host it is given;
    a key on another host variable would serve a page built for "Host: desa.kim.id:1" to all."""
    text = TEMPLATE.read_text()
    proxied_host = re.search(r"proxy_set_header Host (\$\w+);", text).group(1)
    key = re.search(r'proxy_cache_key "([^"]+)";', text).group(1)
    assert key == f"$scheme://{proxied_host}$request_uri"


def test_health_and_readiness_are_never_cached():
    template = TEMPLATE.read_text()
    for path in ("/healthz", "/readyz"):
        line = next(x for x in template.splitlines() if f"location = {path} " in x)
        assert "proxy_no_cache 1;" in line and "proxy_cache_bypass 1;" in line, path


def test_the_app_trusts_exactly_the_one_proxy_nginx_is(tmp_path):
    """nginx appends one address to X-Forwarded-For and sets X-Forwarded-Proto: the app behind
    it, in deploy/prod.py and in docker-compose.yml, counts one trusted hop and trusts the
    scheme header (kimportal.lib.client)."""
    env = _prod().app_environment(tmp_path, {"https": 1, "http": 2, "s3": 3}, "kim.test")
    compose = _compose()["x-app"]["environment"]
    for environment in (env, compose):
        assert environment["TRUSTED_PROXY_HOPS"] == "1"
        assert environment["TRUST_X_FORWARDED_PROTO"] == "true"
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in TEMPLATE.read_text()
