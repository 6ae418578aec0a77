"""The network guard: propwatch fetches public web pages only, never the machine's own network.

A server that analyses URLs for its users would otherwise be a proxy into its own network (SSRF): a URL, or a
redirect, naming ``localhost``, a router, a database on ``10.x``, or the cloud metadata service at
``169.254.169.254`` that hands out credentials. So every host is resolved first and refused when *any* of its
addresses is not public: one private address among public ones is enough for an attacker who controls the DNS
answer to pick which one gets used.

Embedded IPv4 addresses (IPv4-mapped ``::ffff:a.b.c.d``, 6to4 ``2002::/16`` and NAT64 ``64:ff9b::/96``) are
judged by the IPv4 address inside them, since that is where the packets end up.
"""

from __future__ import annotations

import ipaddress
import socket
from ipaddress import IPv4Address, IPv6Address

from ..errors import FetchError, PrivateAddressError

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}

IPAddress = IPv4Address | IPv6Address


def non_public_kind(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public internet address (e.g. ``"loopback"``), or None when it is public."""
    if isinstance(ip, IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            kind = non_public_kind(embedded)
            return f"{kind} (embedded in an IPv6 address)" if kind else None
    if ip in _METADATA:
        return "cloud metadata service"
    if ip.is_loopback:
        return "loopback"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip in _CGNAT:
        return "shared (carrier-grade NAT)"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if isinstance(ip, IPv6Address) and ip.is_site_local:
        return "site-local"
    if not ip.is_global:
        return "non-public"
    return None


def resolve_checked(host: str, port: int, *, url: str, allow_private: bool = False) -> list[str]:
    """The addresses of ``host`` in resolver order, after checking every one of them.

    Raises ``FetchError`` when the host does not resolve, or when any address is not public and
    ``allow_private`` is false. The caller must connect to one of the returned addresses (not resolve the
    name again), or a DNS answer that changes between check and use would get around the guard.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as e:
        reason = e.strerror if isinstance(e, socket.gaierror) and e.strerror else str(e)
        raise FetchError(f"cannot resolve the host {host!r} of {url} ({reason}); check the address") from None
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone (fe80::1%eth0)
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchError(f"cannot resolve the host {host!r} of {url}; check the address")
    if not allow_private:
        for address in addresses:
            kind = non_public_kind(ipaddress.ip_address(address))
            if kind:
                raise PrivateAddressError(
                    f"refusing to fetch {url}: {host} resolves to {address}, a {kind} address; propwatch only "
                    "fetches public web pages"
                )
    return addresses
