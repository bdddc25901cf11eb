"""Parsing JSON that arrived from elsewhere (a bundle, a framework file) without trusting it.

Nesting is measured before parsing (the json module recurses), duplicate keys and NaN are refused,
strings are bounded and must be valid Unicode (a lone surrogate such as \\udc00 would break SQLite,
Word and PDF later), and numbers must fit SQLite's integers.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ics_desktop.limits import MAX_JSON_DEPTH

_MAX_INT = 2**63 - 1
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKET = re.compile(r"[\[\]{}]")
# What only a walk of the parsed value can judge: a \uD800–\uDFFF escape (a lone surrogate?), a long number.
_NEEDS_WALK = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}|\d{19,}")


class UnsafeJson(ValueError):
    """JSON that cannot be used; the message says why in a few words (for the caller's sentence)."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("a key appears twice in one object")
    return result


def bad_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def loads(text: str, *, max_string: int, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON text; raises UnsafeJson ('nested more than 50 levels deep', 'not valid JSON (…)' …)."""
    depth = 0
    for token in _BRACKET.findall(_STRING.sub("", text)):
        if token in "[{":
            depth += 1
            if depth > max_depth:
                raise UnsafeJson(f"nested more than {max_depth} levels deep")
        else:
            depth -= 1
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=bad_constant)
    except (ValueError, RecursionError) as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc).split(":")[0]
        if isinstance(exc, json.JSONDecodeError):
            detail = f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise UnsafeJson(f"not valid JSON ({detail})") from None
    if _NEEDS_WALK.search(text) is not None or len(text) > max_string:
        check_values(value, max_string=max_string)
    return value


def check_values(value: Any, *, max_string: int) -> None:
    """Every string within `max_string` and valid Unicode; every number fits SQLite. Raises UnsafeJson."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if len(item) > max_string:
                raise UnsafeJson(f"holds a text longer than {max_string:,} characters")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise UnsafeJson("holds text that is not valid Unicode (a lone surrogate)") from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) > _MAX_INT:
            raise UnsafeJson("holds a number too large for the database")
