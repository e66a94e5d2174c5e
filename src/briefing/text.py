"""Text helpers for slides: safe, single-spaced, truncated with an ellipsis."""

from __future__ import annotations

import re

ELLIPSIS = "…"
# Characters XML 1.0 (pptx) cannot hold, and other invisible controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Breaking whitespace only: no-break spaces (Babel's French "1 234") are kept.
_SPACE = re.compile(r"[ \t\r\n\f\v\u1680\u2000-\u200a\u2028\u2029\u205f\u3000]+")


def clean(text: object) -> str:
    r"""Plain one-line text: control characters dropped, whitespace collapsed.

    Markup such as ``<script>`` is kept as literal characters: both writers put
    text into text runs, never into markup.

    >>> clean("a\x00 <b>\n b")
    'a <b> b'
    """
    return _SPACE.sub(" ", _CONTROL.sub("", str(text))).strip()


def truncate(text: object, limit: int) -> str:
    """`clean(text)` cut to at most `limit` characters, ending with "…" if cut.

    Cuts at the last space in the final fifth when there is one, so words stay
    whole.

    >>> truncate("Water and sanitation in schools", 24)
    'Water and sanitation…'
    >>> truncate("short", 20)
    'short'
    """
    if limit < 2:
        msg = f"limit must be at least 2, got {limit}"
        raise ValueError(msg)
    text = clean(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= int(0.8 * (limit - 1)):
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + ELLIPSIS


__all__ = ["clean", "truncate"]
