"""Size limits of a scenario, checked before any parsing or work.

A link or file beyond these is refused with a message naming the limit: a
scenario is a handful of levers, not a data file, and a deeply nested JSON text
would otherwise exhaust the parser's recursion.
"""

from __future__ import annotations

# Bounded size, checked before parsing: a link or file beyond these is refused
# with a message (a scenario is a handful of levers, not a data file).
MAX_LEVERS = 20
MAX_TARGET_VALUES = 300
MAX_TEXT_CHARS = 20_000
MAX_JSON_DEPTH = 8


def check_text_size(text: str, what: str = "scenario") -> None:
    """Refuse text too long or too deeply nested to be a scenario, before parsing.

    >>> check_text_size("[" * 9 + "]" * 9)
    Traceback (most recent call last):
    ...
    ValueError: scenario is nested 9 levels deep; at most 8 are allowed
    """
    if len(text) > MAX_TEXT_CHARS:
        msg = (
            f"{what} is {len(text):,} characters long; at most "
            f"{MAX_TEXT_CHARS:,} are allowed"
        )
        raise ValueError(msg)
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    if deepest > MAX_JSON_DEPTH:
        msg = (
            f"{what} is nested {deepest} levels deep; at most {MAX_JSON_DEPTH} "
            "are allowed"
        )
        raise ValueError(msg)
