"""One shape for every problem found in a source file, and its one renderer.

A `Problem` is data: a catalog key (src/i18n/locales/*.json), the plain values
that fill it, and where it was found (file, item, field) with a severity. The
parser, the portfolio builder and the import checks all produce it; it becomes
words only at the edge (page, CLI, briefing) through `problem_text(p, lang)`.
The catalog text may use ``{file}``, ``{item}`` and ``{field}`` besides the params.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from src.i18n import DEFAULT_LANG, translate

FILE_REASONS = ("import.file.", "iati.file.")
"""Key prefixes of the reasons a whole file is refused (worded without the name)."""

TEXT_KEY = "problem.text"
"""Key of a problem kept as plain text (reports stored before problems had keys)."""

LISTED_COUNTS = {
    "import.file.missing_columns": "columns",
    "import.unknown_columns": "columns",
}
"""Plural keys counted by the length of a listed param (``"a, b"`` is ``n=2``).

A problem stored before they were plural entries has the list but no ``n``;
`Problem.from_json` counts it, so an older dataset report still reads.
"""

ERROR = "error"
"""Severity: the row, activity or file was rejected."""
WARNING = "warning"
"""Severity: kept, but a value was ignored or flagged."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a source file, as a message key and its values.

    Attributes:
        key: catalog key of the message (``iati.*``, ``build.*``, ``import.*``).
        params: plain values (str, int, float or None) filling the placeholders;
            None reads "not given". A spreadsheet row number is ``params["row"]``.
        file: the file name ("" when unknown).
        item: the activity or project identifier ("" for file-level problems).
        field: the element, attribute or column concerned.
        severity: `ERROR` (row, activity or file rejected) or `WARNING` (kept,
            value ignored or flagged).
    """

    key: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)
    file: str = ""
    item: str = ""
    field: str = ""
    severity: str = WARNING

    @property
    def row(self) -> int | None:
        """The spreadsheet row number (header = 1), None for XML and files."""
        row = self.params.get("row")
        return row if isinstance(row, int) else None

    @property
    def is_file_reason(self) -> bool:
        """Whether this problem refuses a whole file."""
        return self.key.startswith(FILE_REASONS)

    @property
    def message(self) -> str:
        """The English text (for logs and callers without a language)."""
        return problem_text(self, DEFAULT_LANG)

    def to_json(self) -> dict[str, object]:
        """The problem as JSON-able data: {key, params, file, item, field, severity}."""
        return {
            "key": self.key,
            "params": dict(self.params),
            "file": self.file,
            "item": self.item,
            "field": self.field,
            "severity": self.severity,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Problem:
        """Rebuild a problem from `to_json`'s form.

        A record stored before problems had keys ({file, activity, field,
        message, severity}) becomes a `TEXT_KEY` problem showing its message;
        one of `LISTED_COUNTS` stored without its ``n`` gets it counted.
        """
        if "key" not in data:
            return cls(
                TEXT_KEY,
                {"text": str(data.get("message", ""))},
                str(data.get("file", "")),
                str(data.get("activity", "")),
                str(data.get("field", "")),
                str(data.get("severity", WARNING)),
            )
        key = str(data["key"])
        raw = data.get("params") or {}
        params = dict(raw) if isinstance(raw, Mapping) else {}
        listed = LISTED_COUNTS.get(key)
        if listed and "n" not in params:
            params["n"] = len(str(params.get(listed) or "").split(", "))
        return cls(
            key,
            params,
            str(data.get("file", "")),
            str(data.get("item", "")),
            str(data.get("field", "")),
            str(data.get("severity", WARNING)),
        )


def reason_text(problem: Problem, lang: str) -> str:
    """The problem's own sentence in `lang` (a file reason without the file name).

    Args:
        problem: the problem.
        lang: UI language code.

    Returns:
        The catalog text filled with the params (None reads "not given"),
        ``{file}``, ``{item}`` and ``{field}``.
    """
    values: dict[str, object] = {
        "file": problem.file,
        "item": problem.item,
        "field": problem.field,
    }
    for name, value in problem.params.items():
        values[name] = translate("import.not_given", lang) if value is None else value
    return translate(problem.key, lang, **values)


def problem_text(problem: Problem, lang: str) -> str:
    """The one renderer: a problem as a sentence in `lang`.

    A whole-file refusal is prefixed with the file name ("e.csv: the file is
    empty…"); every other message is the catalog text as filled.

    Args:
        problem: the problem.
        lang: UI language code (unknown languages read English).

    Returns:
        The message.
    """
    text = reason_text(problem, lang)
    if problem.is_file_reason:
        return translate("import.file_refused", lang, file=problem.file, reason=text)
    return text
