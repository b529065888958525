"""The Content-Security-Policy of every host: no inline script or style, nothing from elsewhere.

Pure functions of settings values, so that settings.py builds the policy once and tests can build
it for other configurations. django-csp's middleware sends it (CONTENT_SECURITY_POLICY).

Scripts live in static/js (external, `defer`), styles in static/css; a KIM's brand colours come
from its subsite's own stylesheet (/tema.css), never from a <style> element or a style attribute.
JSON-LD (<script type="application/ld+json">) is data, which the policy does not block.
"""

from urllib.parse import urlsplit

SELF = "'self'"
NONE = "'none'"


def _origin(url: str) -> str:
    parts = urlsplit(url if "://" in url else f"https://{url}")
    return f"{parts.scheme}://{parts.netloc}"


def media_sources(
    *, s3_bucket: str = "", s3_public_domain: str = "", s3_endpoint_url: str = ""
) -> list[str]:
    """Where public media (renditions, logos, covers) is served from, besides our own hosts."""
    if not s3_bucket:
        return []  # MEDIA_URL on the same host
    if s3_public_domain:
        return [_origin(s3_public_domain)]
    if s3_endpoint_url:
        endpoint = urlsplit(s3_endpoint_url)
        # Path-style (endpoint/bucket/key) or virtual-hosted (bucket.endpoint/key) addressing.
        return [_origin(s3_endpoint_url), f"{endpoint.scheme}://{s3_bucket}.{endpoint.netloc}"]
    return [f"https://{s3_bucket}.s3.amazonaws.com"]


def site_origins(*, scheme: str, domain: str, port: int | None) -> list[str]:
    """The portal's and the management host's origins (as kimportal.lib.links builds them)."""
    default_port = 443 if scheme == "https" else 80
    suffix = f":{port}" if port and port != default_port else ""
    return [f"{scheme}://{domain}{suffix}", f"{scheme}://kelola.{domain}{suffix}"]


def content_security_policy(*, form_targets: list[str], media: list[str]) -> dict:
    """django-csp 4 settings (`CONTENT_SECURITY_POLICY`).

    `form_targets`: origins besides the page's own that a form may post to (the portal and the
    management host: sign-in, sign-out and the language switch may cross hosts).
    """
    directives: dict[str, list[str]] = {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *media],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *form_targets],
    }
    return {"DIRECTIVES": directives}
