"""Write TOML and YAML from plain data.

The standard library reads TOML but cannot write it: strings are emitted as
JSON strings, which are valid TOML basic strings, so any answer (quotes,
backslashes, non-ASCII) lands escaped correctly. YAML goes through PyYAML.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

# Longer arrays of strings get one item per line, which keeps diffs readable.
INLINE_WIDTH = 60
_BARE_KEY = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _key(key: str) -> str:
    return key if key and set(key) <= _BARE_KEY else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        if not value:
            return "[]"
        inline = "[" + ", ".join(_value(item) for item in value) + "]"
        if all(isinstance(item, str) for item in value) and len(value) > 1 and len(inline) > INLINE_WIDTH:
            return "[\n" + "".join(f"  {_value(item)},\n" for item in value) + "]"
        return inline
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _is_table(value: Any) -> bool:
    return isinstance(value, dict) and not value.get("__inline__", False)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_table(item) for item in value)


def _table(path: list[str], table: dict[str, Any], out: list[str], array_item: bool = False) -> None:
    """Write ``table`` at ``path``; a list of tables becomes ``[[path]]`` sections, as mypy's overrides are."""
    scalars = {k: v for k, v in table.items() if not _is_table(v) and not _is_table_array(v)}
    tables = {k: v for k, v in table.items() if _is_table(v)}
    arrays = {k: v for k, v in table.items() if _is_table_array(v)}
    name = ".".join(_key(part) for part in path)
    if array_item:
        out.append(f"[[{name}]]")
    elif path and (scalars or not (tables or arrays)):
        out.append(f"[{name}]")
    out.extend(f"{_key(key)} = {_value(value)}" for key, value in scalars.items())
    if scalars:
        out.append("")
    for key, value in tables.items():
        _table([*path, key], value, out)
    for key, items in arrays.items():
        for item in items:
            _table([*path, key], item, out, array_item=True)


def toml_document(data: dict[str, Any]) -> str:
    """``data`` as a TOML document: nested dicts become tables, in insertion order."""
    out: list[str] = []
    _table([], data, out)
    return "\n".join(out).rstrip("\n") + "\n"


class _YamlDumper(yaml.SafeDumper):
    """Block style, multi-line strings as literal blocks, and no anchors for repeated values."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_YamlDumper.add_representer(str, _string)


def yaml_document(data: Any) -> str:
    """``data`` as a YAML document in insertion order."""
    return yaml.dump(data, Dumper=_YamlDumper, sort_keys=False, width=120, allow_unicode=True)
