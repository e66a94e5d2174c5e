"""The check every `from_dict` of a saved record starts with (scenario, lever, filters).

Saved scenarios, URL tokens and uploaded files are user input: a reader takes a
JSON object whose keys are all fields it knows, and names what is wrong otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def known_fields(data: object, fields: Iterable[str], what: str) -> dict[str, Any]:
    """`data` if it is a dict whose keys are all in `fields`; else ValueError.

    >>> known_fields({"kind": "budget"}, ["kind", "change"], "lever")
    {'kind': 'budget'}
    >>> known_fields({"kinds": 1}, ["kind"], "lever")
    Traceback (most recent call last):
    ...
    ValueError: unknown field(s) in lever: ['kinds']
    """
    if not isinstance(data, dict):
        msg = f"{what} must be a JSON object, got {type(data).__name__}"
        raise ValueError(msg)
    unknown = set(data) - set(fields)
    if unknown:
        msg = f"unknown field(s) in {what}: {sorted(unknown)}"
        raise ValueError(msg)
    return data
