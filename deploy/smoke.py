"""Smoke test of the production stack through nginx: `make prod-smoke` (and .ci/run).

Starts deploy/prod.py's stack in a throwaway state folder on a fresh database (SMOKE_DATABASE_URL,
default kim_smoke, dropped and created again) and its own Redis db (SMOKE_REDIS_URL, default
db 5, emptied), then, as a visitor and a KIM admin would, over HTTPS to nginx on 127.0.0.1:

1. the portal's home, twice: the second answer comes from nginx's cache;
2. the subsite of a verified KIM, by its host name;
3. sign-in of the KIM's admin on kelola (a session cookie; then nginx's cache is bypassed);
4. a post with a photo: the editor form sent with a JPEG, the photo processed by the real Celery
   worker, the post sent (the KIM is trusted: it goes on air after the automatic checks), and the
   rendition addresses the public post page shows fetched from the object store (through nginx's
   media host), each answering image bytes;
5. /healthz and /readyz;

then stops the stack, pass or fail. Exits non-zero on the first failed check.
"""

import http.client
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import dj_database_url
import psycopg
import redis
from PIL import Image
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent))

import prod  # noqa: E402

SLUG = "kim-asap"
ADMIN_EMAIL = "admin.asap@smoke.kim.test"
ADMIN_PASSWORD = "uji-asap-" + uuid.uuid4().hex  # noqa: S105 - made up for this run
WAIT_SECONDS = 90

# Run with the app's environment (`manage.py shell`): a verified, trusted KIM on the first
# village of the loaded region tree, and its admin.
SETUP_CODE = """
from accounts.models import User
from communities.models import Community, Member, Role
from django.utils import timezone
from regions.models import Village
village = Village.objects.order_by("code").first()
community = Community(name="KIM Uji Asap", slug={slug!r}, status="verified", is_trusted=True,
    sk_number="140/asap/2026", sk_date=timezone.localdate(), submitted_at=timezone.now(),
    verified_at=timezone.now(), nomor_induk=village.code.replace(".", "") + "01")
community.set_village(village)
community.save()
Member.objects.bulk_create(Member(community=community, name=f"Anggota {{i}}", sort_order=i,
    position="ketua" if i == 0 else "anggota") for i in range(10))
user = User.objects.create_user({email!r}, {password!r}, full_name="Admin Uji Asap")
Role.objects.create(community=community, user=user, role="admin")
print("ok", community.pk)
"""


class Failed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)
    print(f"  ok  {message}", flush=True)


class Site:
    """HTTPS to nginx on 127.0.0.1, naming the site in the Host header; keeps cookies."""

    def __init__(self, stack: dict):
        self.port = stack["ports"]["https"]
        self.domain = stack["domain"]
        self.context = prod.tls_context(stack)
        self.cookies: dict[str, str] = {}

    def host(self, name: str = "") -> str:
        return f"{name + '.' if name else ''}{self.domain}:{self.port}"

    def request(
        self, method: str, host: str, path: str, *, body=None, headers=None, cookies=True
    ) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=self.context, timeout=30
        )
        sent = {"Host": host, **(headers or {})}
        if cookies and self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        received = {k.lower(): v for k, v in response.getheaders()}
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, received, data

    def get(self, host: str, path: str, **kwargs):
        return self.request("GET", host, path, **kwargs)

    def fetch_url(self, url: str):
        """An absolute URL on one of the stack's hosts (a page link, a media address)."""
        parts = urlsplit(url)
        if parts.port != self.port:
            raise Failed(f"{url} does not point at the stack")
        return self.get(parts.netloc, parts.path + (f"?{parts.query}" if parts.query else ""))


class FormReader(HTMLParser):
    """The fields of the first <form> that `wanted(attributes)` accepts, with their initial
    values as a browser would send them unchanged: inputs, checked boxes, selected options,
    textareas."""

    def __init__(self, wanted):
        super().__init__()
        self.wanted = wanted
        self.done = False
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.files: list[str] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and self.wanted(a):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self.files.append(a["name"])
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value") or "on"))
            elif kind not in ("submit", "button", "image", "reset"):
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select, self._select_value = a.get("name"), None
        elif tag == "option" and self._select:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value") or ""
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "select" and self._select:
            self.fields.append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text.lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self.inside, self.done = False, True


def read_form(html: str, wanted) -> FormReader:
    reader = FormReader(wanted)
    reader.feed(html)
    return reader


def sign_in_form(attrs: dict) -> bool:
    return attrs.get("method") == "post" and not attrs.get("action")


def editor_form(attrs: dict) -> bool:
    return attrs.get("id") == "post-form"


def multipart(fields: list[tuple[str, str]], files: dict[str, tuple[str, bytes, str]]):
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, (filename, data, content_type) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def photo_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (40, 130, 70)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def is_image(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff") or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def eventually(what: str, probe, seconds: float = WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = probe()
        if result:
            return result
        time.sleep(0.5)
    raise Failed(f"{what}: not within {seconds} s")


# --- The checks --------------------------------------------------------------------------------


def run_checks(stack: dict) -> None:
    site = Site(stack)
    portal, kelola, subsite = site.host(), site.host("kelola"), site.host(SLUG)

    status, headers, body = site.get(portal, "/", cookies=False)
    check(status == 200 and b"KIM" in body, "portal home answers through nginx")
    status, headers, _ = site.get(portal, "/", cookies=False)
    check(headers.get("x-cache") == "HIT", "the second anonymous view comes from nginx's cache")

    status, _, body = site.get(subsite, "/", cookies=False)
    check(status == 200 and b"KIM Uji Asap" in body, f"the subsite answers at {subsite}")

    status, _, body = site.get(kelola, "/masuk/")
    form = read_form(body.decode(), sign_in_form)
    fields = dict(form.fields)
    check(status == 200 and "csrfmiddlewaretoken" in fields, "the sign-in page has its form")
    fields.update(username=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    status, headers, _ = site.request(
        "POST",
        kelola,
        "/masuk/",
        body=urlencode(fields),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://{kelola}/masuk/",
            "Origin": f"https://{kelola}",
        },
    )
    check(status == 302 and "sessionid" in site.cookies, "the KIM admin signs in")
    status, headers, _ = site.get(portal, "/")
    check(headers.get("x-cache") == "BYPASS", "a signed-in request bypasses nginx's cache")

    editor = f"/kim/{SLUG}/tulisan/baru/"
    status, _, body = site.get(kelola, editor)
    check(status == 200, "the post editor opens")
    form = read_form(body.decode(), editor_form)
    check(bool(form.files), "the editor has a photo field")
    title = f"Kerja bakti uji asap {uuid.uuid4().hex[:6]}"
    values = [(k, v) for k, v in form.fields if k not in ("title", "body")]
    values += [("title", title), ("body", "Warga membersihkan saluran air bersama-sama.")]
    data, content_type = multipart(
        values, {form.files[0]: ("kerja-bakti.jpg", photo_jpeg(), "image/jpeg")}
    )
    status, headers, _ = site.request(
        "POST",
        kelola,
        editor,
        body=data,
        headers={"Content-Type": content_type, "Referer": f"https://{kelola}{editor}"},
    )
    match = re.search(rf"/kim/{SLUG}/tulisan/(\d+)/", headers.get("location", ""))
    check(status == 302 and bool(match), "the post is saved with its photo")
    post_path = match.group(0)

    def photo_ready():
        _, _, raw = site.get(kelola, post_path + "foto/status/")
        state = json.loads(raw)
        return state if state["done"] and state["photos"] else None

    state = eventually("the worker processes the photo", photo_ready)
    photo = state["photos"][0]
    check(photo["status"] == "ready", "the Celery worker made the renditions")
    status, headers, data = site.fetch_url(photo["thumbnail"])
    check(status == 200 and is_image(data), "the editor's thumbnail comes from the object store")

    # "Simpan & terbitkan": the editor form again, sent to the submit address.
    status, _, body = site.get(kelola, post_path)
    form = read_form(body.decode(), editor_form)
    data, content_type = multipart([*form.fields, ("kirim", "1")], {})
    status, headers, _ = site.request(
        "POST",
        kelola,
        post_path + "kirim/",
        body=data,
        headers={"Content-Type": content_type, "Referer": f"https://{kelola}{post_path}"},
    )
    check(status == 302, "the post is sent")

    def on_air():
        status, _, body = site.get(subsite, "/kabar/", cookies=False)
        return body.decode() if status == 200 and title in body.decode() else None

    listing = eventually("the post goes on air after its checks", on_air)
    link = re.search(r'href="(/kabar/[^"/]+/)"[^>]*>\s*' + re.escape(title), listing)
    slug_path = link.group(1) if link else re.search(r'href="(/kabar/[^"/]+/)"', listing).group(1)
    status, _, body = site.get(subsite, slug_path, cookies=False)
    media = sorted(set(re.findall(r"https://media\.[^\s\"',]+", body.decode())))
    check(status == 200 and bool(media), "the public post page shows its photo's renditions")
    for url in media:
        status, headers, data = site.fetch_url(url)
        check(status == 200 and is_image(data), f"rendition {urlsplit(url).path} is served")
    check("max-age=31536000" in headers.get("cache-control", ""), "renditions cache long")

    for path in ("/healthz", "/readyz"):
        status, _, body = site.get(portal, path, cookies=False)
        check(status == 200 and body == b"ok", f"{path} answers ok")


def _reset_database(url: str) -> None:
    db = dj_database_url.parse(url)
    with psycopg.connect(
        dbname="postgres",
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        autocommit=True,
    ) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(db["NAME"])
        ))  # fmt: skip


def main() -> int:
    started = time.monotonic()
    database_url = os.environ.get(
        "SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kim_smoke"
    )
    redis_url = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/5")
    _reset_database(database_url)  # prod.start creates it again
    redis.Redis.from_url(redis_url).flushdb()
    state = Path(tempfile.mkdtemp(prefix="kim-smoke-"))
    os.environ.update(PROD_DIR=str(state), DATABASE_URL=database_url, REDIS_URL=redis_url)
    failed = False
    try:
        stack = prod.start()
        code = SETUP_CODE.format(slug=SLUG, email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
        subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=prod.ROOT,
            env={**os.environ, **stack["env"]},
            check=True,
            capture_output=True,
        )
        print("smoke test through nginx:", flush=True)
        run_checks(stack)
    except (Failed, subprocess.CalledProcessError, SystemExit) as exc:
        failed = True
        print(f"  FAILED  {exc}", flush=True)
        for log in sorted((state / "log").glob("*.log")):
            print(f"--- {log.name} (last lines)")
            print("\n".join(log.read_text(errors="replace").splitlines()[-15:]))
    finally:
        prod.stop()
    if not failed:  # a failed run keeps its logs for a look
        shutil.rmtree(state, ignore_errors=True)
    print(f"smoke: {'FAILED' if failed else 'passed'} in {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
