"""The client address behind abuse limits: trusted proxy hops, and the network it belongs to."""

import pytest
from django.test import RequestFactory

from kimportal.lib.client import client_address, network_prefix


def request(remote: str = "203.0.113.7", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    spoofed = request("203.0.113.7", forwarded="198.51.100.1, 198.51.100.2")
    assert client_address(spoofed) == "203.0.113.7"
    assert client_address(request("203.0.113.7")) == "203.0.113.7"


def test_one_hop_takes_the_address_our_proxy_appended(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    # The client wrote "6.6.6.6" itself; nginx appended what it saw (198.51.100.9).
    behind_nginx = request("10.0.0.2", forwarded="6.6.6.6, 198.51.100.9")
    assert client_address(behind_nginx) == "198.51.100.9"
    assert client_address(request("10.0.0.2", forwarded="198.51.100.9")) == "198.51.100.9"


def test_two_hops_take_the_second_address_from_the_right(settings):
    settings.TRUSTED_PROXY_HOPS = 2
    chain = request("10.0.0.3", forwarded="6.6.6.6, 198.51.100.9, 10.0.0.2")
    assert client_address(chain) == "198.51.100.9"
    # Fewer entries than trusted hops: the header cannot be ours, so it is not believed.
    assert client_address(request("10.0.0.3", forwarded="198.51.100.9")) == "10.0.0.3"


@pytest.mark.parametrize(
    "forwarded",
    ["", "bukan-alamat", "198.51.100.9, ", "999.1.1.1", "198.51.100.9; drop table", ","],
)
def test_a_missing_or_malformed_header_falls_back_to_the_peer(settings, forwarded):
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_address(request("10.0.0.2", forwarded=forwarded)) == "10.0.0.2"
    assert client_address(request("10.0.0.2")) == "10.0.0.2"


def test_ipv6_and_ipv4_mapped_addresses(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_address(request("10.0.0.2", forwarded="2001:DB8::1")) == "2001:db8::1"
    assert client_address(request("10.0.0.2", forwarded="[2001:db8::1]")) == "2001:db8::1"
    assert client_address(request("::ffff:198.51.100.9")) == "198.51.100.9"
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_address(request("2001:db8::5")) == "2001:db8::5"


def test_an_unparsable_peer_gives_an_empty_address(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_address(request("tidak-valid")) == ""


def test_network_prefix_groups_ipv4_by_24_and_ipv6_by_64():
    assert network_prefix("198.51.100.9") == "198.51.100.0/24"
    assert network_prefix("198.51.100.250") == "198.51.100.0/24"
    assert network_prefix("198.51.101.9") == "198.51.101.0/24"
    assert network_prefix("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert network_prefix("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert network_prefix("2001:db8:1:3::1") == "2001:db8:1:3::/64"
    assert network_prefix("::ffff:198.51.100.9") == "198.51.100.0/24"


def test_network_prefix_of_garbage_is_the_garbage_itself():
    assert network_prefix("bukan-alamat") == "bukan-alamat"
    assert network_prefix("") == ""
