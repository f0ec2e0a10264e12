"""Printer addresses as admins type them: host and port for network printers, a queue for CUPS.

No URL schemes, paths, users or options: an address names one machine and port (or one CUPS queue),
so a print job can only ever connect where the admin pointed it. (A Brother QL on the server's USB
has a device path instead, checked strictly in services/printers/device.py.)
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

DEFAULT_PORT = 9100  # raw printing ("JetDirect"), Zebra and Brother alike
CUPS_PORT = 631
_HOSTNAME = re.compile(r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")
_QUEUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,126}")


class AddressError(ValueError):
    """An address that is not host[:port] (queue[@host[:port]] for CUPS, or a QL's USB device); the message says how."""


@dataclass(frozen=True)
class Endpoint:
    """A host and TCP port."""

    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def parse_endpoint(text: str, default_port: int = DEFAULT_PORT) -> Endpoint:
    """host, host:port, IPv4, or [IPv6]:port; AddressError for anything else (schemes, paths, spaces)."""
    text = (text or "").strip()
    if not text:
        raise AddressError("Give the printer's address, e.g. 192.168.1.50 or zebra.local:9100.")
    if "://" in text or "/" in text or "@" in text or any(c.isspace() for c in text):
        raise AddressError("Give only a host name or IP address and an optional port (e.g. 192.168.1.50:9100), "
                           "no http:// or path.")
    host, port = text, str(default_port)
    if text.startswith("["):
        match = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\](?::([0-9]{1,5}))?", text)
        if not match:
            raise AddressError("Write an IPv6 address as [2001:db8::5]:9100.")
        host, port = match.group(1), match.group(2) or port
    elif text.count(":") == 1:
        host, port = text.split(":")
    elif text.count(":") > 1:
        raise AddressError("Write an IPv6 address in brackets: [2001:db8::5]:9100.")
    if not port.isascii() or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise AddressError(f"The port is a number from 1 to 65535, not {port!r}.")
    try:
        host = str(ipaddress.ip_address(host))
    except ValueError:
        if not _HOSTNAME.fullmatch(host) or host.replace(".", "").isdigit():
            raise AddressError(f"{host!r} is not a host name or IP address.") from None
    return Endpoint(host, int(port))


def parse_cups(text: str) -> tuple[str, Endpoint | None]:
    """A CUPS queue, optionally on another server: "Office" or "Office@printserver:631"."""
    text = (text or "").strip()
    queue, _, server = text.partition("@")
    if not _QUEUE.fullmatch(queue):
        raise AddressError("Give the CUPS queue's name (letters, digits, - _ .), e.g. Office_Laser, "
                           "or Office_Laser@printserver:631 for another CUPS server.")
    return queue, parse_endpoint(server, CUPS_PORT) if server else None


def check(kind: str, text: str) -> str:
    """The address in its normal form for a printer kind; AddressError when it is not valid."""
    if kind == "cups":
        queue, server = parse_cups(text)
        return f"{queue}@{server}" if server else queue
    return str(parse_endpoint(text))
