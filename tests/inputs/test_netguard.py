import ipaddress

import pytest

from propwatch.errors import FetchError
from propwatch.inputs.netguard import non_public_kind, resolve_checked


@pytest.mark.parametrize(
    "address, kind",
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "cloud metadata service"),
        ("fd00:ec2::254", "cloud metadata service"),
        ("169.254.10.1", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("100.64.0.1", "shared (carrier-grade NAT)"),
        ("100.127.255.254", "shared (carrier-grade NAT)"),
        ("fc00::1", "private"),
        ("fdab:1234::1", "private"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("192.0.2.10", "private"),  # documentation range
        ("::ffff:127.0.0.1", "loopback (embedded in an IPv6 address)"),
        ("::ffff:10.0.0.1", "private (embedded in an IPv6 address)"),
        ("::ffff:169.254.169.254", "cloud metadata service (embedded in an IPv6 address)"),
        ("2002:7f00:1::", "loopback (embedded in an IPv6 address)"),  # 6to4 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "cloud metadata service (embedded in an IPv6 address)"),  # NAT64
    ],
)
def test_non_public_addresses(address, kind):
    assert non_public_kind(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "93.184.216.34", "100.128.0.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8",
     "2002:808:808::", "64:ff9b::808:808"],
)
def test_public_addresses(address):
    assert non_public_kind(ipaddress.ip_address(address)) is None


def test_every_address_is_checked(fake_dns):
    fake_dns["mixed.example.com"] = ["93.184.216.34", "2606:2800:220:1::", "10.9.8.7"]
    with pytest.raises(FetchError, match=r"mixed\.example\.com resolves to 10\.9\.8\.7, a private address"):
        resolve_checked("mixed.example.com", 80, url="http://mixed.example.com/")


def test_public_addresses_are_returned_in_order_without_duplicates(fake_dns):
    fake_dns["news.example.com"] = ["93.184.216.34", "2606:2800:220:1::", "93.184.216.34"]
    assert resolve_checked("news.example.com", 443, url="https://news.example.com/") == [
        "93.184.216.34", "2606:2800:220:1::"]


def test_allow_private(fake_dns):
    fake_dns["router.lan"] = ["192.168.1.1"]
    assert resolve_checked("router.lan", 80, url="http://router.lan/", allow_private=True) == ["192.168.1.1"]


def test_ip_literals_are_checked_too():
    with pytest.raises(FetchError, match="loopback"):
        resolve_checked("127.0.0.1", 80, url="http://127.0.0.1/")
    with pytest.raises(FetchError, match="loopback"):
        resolve_checked("2130706433", 80, url="http://2130706433/")  # 127.0.0.1 written as one number


def test_unresolvable_name():
    with pytest.raises(FetchError, match=r"^cannot resolve the host 'nonexistent\.invalid' of http://x/ \(") as err:
        resolve_checked("nonexistent.invalid", 80, url="http://x/")
    assert "\n" not in str(err.value)
