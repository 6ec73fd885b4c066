"""A snapshot directory -> the JSON responses it holds, by top-level key; bad input -> `SnapshotError`.

The layout (issue 31, the one Batfish's AWS snapshots use): one file per `describe-*` call, named after the
response's top-level key and holding that response (`Subnets.json` is `{"Subnets": [...]}`). Files sit flat
in the directory, under `REGION/`, or under `accounts/ACCOUNT/REGION/`; the responses of every region and
account are gathered, since resource ids are unique across them. A missing file means "no such resources":
real snapshots are partial. A file the engine does not know is reported as a warning, never silently
skipped; a known file that is not valid JSON, or holds anything but an object with its key and a list, is an
error naming the file and the JSON pointer.

`build` turns the responses into the model; this module only finds and reads them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from solomonic.errors import UserError

# the responses the engine models
MODELLED = ("Vpcs", "Subnets", "RouteTables", "InternetGateways", "NatGateways", "SecurityGroups", "NetworkAcls",
            "NetworkInterfaces", "Reservations", "Addresses", "VpcPeeringConnections", "PrefixLists", "VpcEndpoints",
            "VpnGateways", "VpnConnections", "TransitGateways", "TransitGatewayAttachments",
            "TransitGatewayVpcAttachments", "TransitGatewayRouteTables", "TransitGatewayStaticRoutes",
            "TransitGatewayPropagations", "LoadBalancers", "LoadBalancerListeners", "TargetGroups",
            "LoadBalancerTargetHealth", "LoadBalancerAttributes")
# the other responses issue 31 names: read (so a bad one is reported) but used by no question: the customer
# gateway of a VPN connection is outside the snapshot
NOT_MODELLED = ("CustomerGateways",)


class SnapshotError(UserError):
    """Bad snapshot input: the message names the file and the JSON pointer of the element."""


@dataclass(frozen=True)
class Item:
    """One element of a response's list, with the file it came from and its JSON pointer there."""

    value: object
    file: str
    pointer: str


@dataclass(frozen=True)
class Responses:
    """The snapshot's responses: for each top-level key, the items of every file with that key, and the
    warnings about files that were not read."""

    source: str
    items: dict[str, list[Item]]
    warnings: tuple[str, ...]

    def of(self, key: str) -> list[Item]:
        return self.items.get(key, [])


def read(directory: str) -> Responses:
    """Every response under `directory`, in the layouts above."""
    root = Path(directory)
    if not root.is_dir():
        raise SnapshotError(f"{directory}: not a snapshot directory (a folder of describe-* JSON files)")
    items: dict[str, list[Item]] = {}
    warnings: list[str] = []
    for folder in _folders(root, warnings):
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            key = path.stem
            if path.suffix != ".json" or key not in (*MODELLED, *NOT_MODELLED):
                warnings.append(f"{path}: not a response the network engine reads (ignored)")
                continue
            items.setdefault(key, []).extend(_items(path, key, warnings))
    return Responses(directory, items, tuple(warnings))


def _folders(root: Path, warnings: list[str]) -> list[Path]:
    """The directory itself, each `REGION/` in it, and each `accounts/ACCOUNT/REGION/`."""
    folders = [root]
    for child in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if child.name != "accounts":
            folders.append(child)
            _warn_nested(child, warnings)
            continue
        for account in sorted(p for p in child.iterdir() if not p.name.startswith(".")):
            if not account.is_dir():
                warnings.append(f"{account}: not an account folder (ignored)")
                continue
            for region in sorted(p for p in account.iterdir() if not p.name.startswith(".")):
                if region.is_dir():
                    folders.append(region)
                    _warn_nested(region, warnings)
                else:
                    warnings.append(f"{region}: outside a region folder (ignored)")
    return folders


def _warn_nested(folder: Path, warnings: list[str]) -> None:
    warnings.extend(f"{nested}: a folder inside a region folder (ignored)"
                    for nested in sorted(folder.iterdir()) if nested.is_dir() and not nested.name.startswith("."))


def _items(path: Path, key: str, warnings: list[str]) -> list[Item]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SnapshotError(f"{path}: cannot read the file: {error}") from None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise SnapshotError(f"{path}: line {error.lineno}: column {error.colno}: not valid JSON: {error.msg}") from None
    except ValueError as error:
        raise SnapshotError(f"{path}: /: not valid JSON: {error}") from None
    except RecursionError:
        raise SnapshotError(f"{path}: /: the JSON is nested too deeply to be an AWS response") from None
    if not isinstance(document, dict) or key not in document:
        raise SnapshotError(f"{path}: /: expected an object with the key {key!r} (the file is named after the "
                            "response's top-level key)")
    listed = document[key]
    if not isinstance(listed, list):
        raise SnapshotError(f"{path}: /{key}: expected a list, found {type(listed).__name__}")
    if "NextToken" in document:
        warnings.append(f"{path}: /NextToken: the response is one page of several; resources on the other "
                        "pages are missing")
    warnings.extend(f"{path}: /{other}: a key the network engine does not read (ignored)"
                    for other in document if other not in (key, "NextToken"))
    return [Item(value, str(path), f"/{key}/{index}") for index, value in enumerate(listed)]


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")
