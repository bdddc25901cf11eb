"""The laptop's own addresses, for the URL in the join QR code: IPv4 numbers, never a `.local` name.

Android browsers often cannot resolve `.local` names, so phones are given the address itself. Found with the
standard library only, and without sending anything anywhere: the operating system's answer for the
laptop's own name, and the address it would use for the local network (a UDP socket's `connect` chooses a
route but sends no packet).
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from dataclasses import dataclass

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Address:
    ip: str
    label: str  # how the choice is shown: "192.168.137.1 (hotspot)"


def _kind(ip: ipaddress.IPv4Address) -> str:
    if ip in ipaddress.ip_network("192.168.137.0/24"):
        return "Windows mobile hotspot"
    if ip in ipaddress.ip_network("172.20.10.0/28"):
        return "iPhone hotspot"
    if ip.is_link_local:
        return "no DHCP: link-local"
    return "local network" if ip.is_private else "public network"


def local_addresses() -> list[Address]:
    """Non-loopback IPv4 addresses of this laptop, the likeliest first; empty when it has no network."""
    found: list[str] = []
    with contextlib.suppress(OSError):
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    for probe in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.connect((probe, 9))  # no packet is sent: this only asks which local address would be used
            found.insert(0, str(udp.getsockname()[0]))
    result: list[Address] = []
    for text in dict.fromkeys(found):
        try:
            ip = ipaddress.IPv4Address(text)
        except ValueError:
            continue
        if ip.is_loopback or ip.is_unspecified:
            continue
        result.append(Address(text, f"{text} ({_kind(ip)})"))
    return result


NO_NETWORK_HELP = (
    "This laptop is not on any network, so phones cannot reach it. Turn on a hotspot on the laptop: on Windows, "
    "Settings → Network & internet → Mobile hotspot → On (share over Wi-Fi; the laptop need not have internet); "
    "on a Mac, connect the laptop to a phone's Personal Hotspot, or to the room's Wi-Fi. Then choose the "
    "address again. (A venue's Wi-Fi often keeps phones from reaching each other: a hotspot avoids that.)"
)
