"""Problem messages: a catalog key and plain params rendered in one language.

The one place where a problem's key becomes words; a None param reads "not
given" in the language asked for.
"""

from __future__ import annotations

from src.i18n import translate

FILE_REASON = "import.file."
"""Key prefix of the reasons a whole file is refused (bare, without the name)."""


def reason_text(key: str, lang: str, params: dict[str, object]) -> str:
    """A message key in `lang`; a None param reads "not given" in that language."""
    values = {
        k: translate("import.not_given", lang) if v is None else v
        for k, v in params.items()
    }
    return translate(key, lang, **values)


def message_text(key: str, lang: str, params: dict[str, object]) -> str:
    """A problem's message in `lang` (a file refusal is prefixed with the name)."""
    text = reason_text(key, lang, params)
    if key.startswith(FILE_REASON):
        return translate("import.file_refused", lang, file=params["file"], reason=text)
    return text
