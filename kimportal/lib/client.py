"""Who is asking: the client's address, as far as the configured proxies vouch for it.

Abuse limits (reports, sign-in throttling) key on this and never on anything the client chooses
freely, such as a User-Agent or a header our own proxies did not write.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(value: str) -> IPAddress | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443", as some proxies write it
        value = value[1 : value.index("]")]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(request: HttpRequest, *, hops: int | None = None) -> str:
    """The client's address: REMOTE_ADDR, or with N trusted proxy hops the N-th entry from the
    right of X-Forwarded-For (each of our proxies appends the address it received from).

    With 0 hops X-Forwarded-For is ignored: without a proxy of ours in front, anyone can write it.
    A missing, short or malformed header falls back to REMOTE_ADDR.
    """
    hops = settings.TRUSTED_PROXY_HOPS if hops is None else hops
    remote = _parse(request.META.get("REMOTE_ADDR", "") or "")
    fallback = str(remote) if remote is not None else ""
    if hops <= 0:
        return fallback
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < hops:
        return fallback
    address = _parse(forwarded[-hops])
    return str(address) if address is not None else fallback


def one_client(address: str) -> str:
    """What counts as one client: an IPv4 address as it is (many people can share a /24 behind
    a carrier's NAT), an IPv6 one as the first address of its /64, which one household or phone
    holds whole and may change addresses in at will (daily for privacy, or to start a fresh
    allowance with each)."""
    parsed = _parse(address)
    if parsed is None or parsed.version == 4:
        return address
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)


def throttle_address(request: HttpRequest) -> str:
    """The address sign-in failures are counted against (django-axes): one_client's."""
    return one_client(client_address(request))


def network_prefix(address: str) -> str:
    """The network an address belongs to for counting distinct people: the /24 of an IPv4
    address, the /64 of an IPv6 one (one household or phone usually holds a whole /64).

    An unparsable address is its own network, so it never merges with anyone else's.
    """
    parsed = _parse(address)
    if parsed is None:
        return address
    bits = 24 if parsed.version == 4 else 64
    return str(ipaddress.ip_network(f"{parsed}/{bits}", strict=False))
