"""Which kind of site a Host header names: the portal, the management host, or one KIM's subsite.

`resolve_host` is pure (no database, no settings) so it can be tested exhaustively; the middleware
turns its answer into `request.site`.
"""

import re
from dataclasses import dataclass
from enum import StrEnum


class SiteKind(StrEnum):
    PORTAL = "portal"
    KELOLA = "kelola"
    COMMUNITY = "community"
    # A well-formed name under the portal domain that can never be a KIM (www2, api, mail, ...).
    RESERVED = "reserved"
    # Anything else: another domain, a nested subdomain, a malformed label.
    UNKNOWN = "unknown"


# Labels that name infrastructure or could mislead visitors; never available as a KIM subdomain.
RESERVED_SLUGS: frozenset[str] = frozenset(
    {
        "www", "kelola", "admin", "administrator", "api", "static", "media", "assets", "cdn",
        "img", "images", "files", "mail", "email", "smtp", "imap", "pop", "mx", "webmail",
        "autodiscover", "autoconfig", "ns", "ns1", "ns2", "ns3", "dns", "ftp", "sftp", "ssh",
        "vpn", "proxy", "git", "dev", "staging", "stage", "test", "testing", "demo", "beta",
        "status", "health", "metrics", "monitor", "docs", "help", "bantuan", "support", "blog",
        "berita", "news", "app", "apps", "portal", "dashboard", "login", "masuk", "logout",
        "keluar", "daftar", "register", "signup", "akun", "account", "auth", "sso", "id",
        "kim", "kominfo", "diskominfo", "kemkomdigi", "komdigi", "pemerintah", "gov",
        "wilayah", "direktori", "cari", "search", "statistik", "data", "opendata", "rss",
        "feed", "sitemap", "robots", "security", "abuse", "postmaster", "hostmaster",
        "webmaster", "root", "system", "sistem", "internal", "localhost",
    }
)  # fmt: skip

# One DNS label as we allow it for a KIM: lower-case letters, digits and inner hyphens.
_LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


@dataclass(frozen=True, slots=True)
class HostMatch:
    kind: SiteKind
    slug: str = ""


def split_port(host: str) -> str:
    """Return the host name of a Host header without its port ("[::1]:8000" -> "[::1]")."""
    if host.startswith("["):
        end = host.find("]")
        return host[: end + 1] if end != -1 else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def normalise_host(host: str) -> str:
    return split_port(host.strip()).lower().rstrip(".")


def resolve_host(host: str, portal_domain: str) -> HostMatch:
    """Map a Host header to the site it names, relative to `portal_domain` (e.g. "kim.id")."""
    name = normalise_host(host)
    domain = portal_domain.lower().rstrip(".")
    if name in (domain, f"www.{domain}"):
        return HostMatch(SiteKind.PORTAL)
    if name == f"kelola.{domain}":
        return HostMatch(SiteKind.KELOLA)
    suffix = f".{domain}"
    if not name.endswith(suffix):
        return HostMatch(SiteKind.UNKNOWN)
    label = name[: -len(suffix)]
    if not _LABEL_RE.match(label):
        return HostMatch(SiteKind.UNKNOWN)
    if label in RESERVED_SLUGS:
        return HostMatch(SiteKind.RESERVED, label)
    return HostMatch(SiteKind.COMMUNITY, label)
