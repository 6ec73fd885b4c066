"""The argument types of `solomonic network`'s questions (addresses, protocols, ports, ICMP fields), which
`trace`, `reachable` and `compare` share: each turns a command-line word into a value or one clear error."""

from __future__ import annotations

import argparse
from ipaddress import AddressValueError, IPv4Address


def address(text: str) -> IPv4Address:
    try:
        return IPv4Address(text)
    except (AddressValueError, ValueError):
        raise argparse.ArgumentTypeError(f"not an IPv4 address: {text}") from None


def protocol(text: str) -> int:
    from solomonic.network.packet import protocol_number

    try:
        return protocol_number(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _bounded(text: str, high: int, what: str) -> int:
    if not text.isdigit() or int(text) > high:
        raise argparse.ArgumentTypeError(f"not {what} (0-{high}): {text}")
    return int(text)


def port(text: str) -> int:
    return _bounded(text, 65535, "a port")


def icmp_field(text: str) -> int:
    return _bounded(text, 255, "an ICMP type or code")


def port_range(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    if not (low.isdigit() and (high or low).isdigit()) or not int(low) <= int(high or low) <= 65535:
        raise argparse.ArgumentTypeError(f"not a port or a range of ports A-B (0-65535): {text}")
    return int(low), int(high or low)
