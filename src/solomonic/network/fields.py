"""Typed reading of one JSON object of a response, each failure a `SnapshotError` naming file and pointer.

`build` reads every field through a `Fields`, so that a missing required field, a value of the wrong type
or a CIDR that does not parse is always reported the same way: `FILE: /Subnets/3/CidrBlock: what is wrong`.
"""

from __future__ import annotations

from ipaddress import AddressValueError, IPv4Address, IPv4Network, NetmaskValueError

from solomonic.network.model import Origin
from solomonic.network.snapshot import Item, SnapshotError


def _escape(key: str) -> str:
    """One reference token of a JSON pointer (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")


class Fields:
    """One JSON object at `origin`; the accessors raise `SnapshotError` at the field's pointer."""

    def __init__(self, value: object, origin: Origin) -> None:
        if not isinstance(value, dict):
            raise SnapshotError(f"{origin}: expected an object, found {type(value).__name__}")
        self.value: dict[str, object] = value
        self.origin = origin

    @classmethod
    def of(cls, item: Item) -> Fields:
        return cls(item.value, Origin(item.file, item.pointer))

    def at(self, key: str) -> Origin:
        return Origin(self.origin.file, f"{self.origin.pointer}/{_escape(key)}")

    def error(self, key: str, what: str) -> SnapshotError:
        return SnapshotError(f"{self.at(key)}: {what}")

    def has(self, key: str) -> bool:
        return self.value.get(key) is not None

    def text(self, key: str) -> str:
        value = self.value.get(key)
        if value is None:
            raise SnapshotError(f"{self.origin}: the required field {key!r} is missing")
        if not isinstance(value, str):
            raise self.error(key, f"expected a string, found {type(value).__name__}")
        return value

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if self.has(key) else None

    def integer(self, key: str) -> int:
        value = self.value.get(key)
        if value is None:
            raise SnapshotError(f"{self.origin}: the required field {key!r} is missing")
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"expected an integer, found {type(value).__name__}")
        return value

    def optional_integer(self, key: str) -> int | None:
        return self.integer(key) if self.has(key) else None

    def flag(self, key: str, default: bool) -> bool:
        value = self.value.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, found {type(value).__name__}")
        return value

    def objects(self, key: str) -> list[Fields]:
        """The objects of the list at `key`; an absent list is empty."""
        value = self.value.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(key, f"expected a list, found {type(value).__name__}")
        base = self.at(key)
        return [Fields(element, Origin(base.file, f"{base.pointer}/{index}")) for index, element in enumerate(value)]

    def child(self, key: str) -> Fields | None:
        return Fields(self.value[key], self.at(key)) if self.has(key) else None

    def cidr(self, key: str) -> IPv4Network:
        text = self.text(key)
        try:
            return IPv4Network(text)
        except (AddressValueError, NetmaskValueError, ValueError) as error:
            raise self.error(key, f"not an IPv4 CIDR: {text!r} ({error})") from None

    def address(self, key: str) -> IPv4Address:
        text = self.text(key)
        try:
            return IPv4Address(text)
        except (AddressValueError, ValueError) as error:
            raise self.error(key, f"not an IPv4 address: {text!r} ({error})") from None

    def optional_address(self, key: str) -> IPv4Address | None:
        return self.address(key) if self.has(key) else None
