"""One shape for every problem found in a source file, and its one renderer.

A `Problem` is data: a catalog key (src/i18n/locales/*.json), the plain values
that fill it, and where it was found (file, item, field) with a severity. The
parser, the portfolio builder and the import checks all produce it; it becomes
words only at the edge (page, CLI, briefing) through `problem_text(p, lang)`.
The catalog text may use ``{file}``, ``{item}`` and ``{field}`` besides the params.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from numbers import Real

from src.i18n import (
    DEFAULT_LANG,
    format_number,
    format_number_as_needed,
    format_percent,
    translate,
)

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


def _digits(digits: int) -> Callable[[float, str], str]:
    return lambda value, lang: format_number(value, lang, digits)


_WHOLE, _TENTHS, _CENTS = _digits(0), _digits(1), _digits(2)
_AMOUNT_TOO_LARGE = {"value": _WHOLE, "limit": _WHOLE}
_SPENT = {"spent": _CENTS, "budget": _CENTS}
NUMBER_PARAMS: dict[str, dict[str, Callable[[float, str], str]]] = {
    "build.commitment_duplicate": {"amount": _WHOLE},
    "build.commitment_received": {"amount": _WHOLE},
    "build.no_currency": {"amount": _CENTS},
    "build.no_rate": {"amount": _CENTS},
    "build.normalised": {"total": format_number_as_needed},  # 99.5, 110, 33.33
    "iati.amount_too_large": _AMOUNT_TOO_LARGE,
    "iati.budget_large": _AMOUNT_TOO_LARGE,
    "import.amount_negative.budget_usd": {"value": _CENTS},
    "import.amount_negative.spent_usd": {"value": _CENTS},
    "import.amount_too_large.budget_usd": _AMOUNT_TOO_LARGE,
    "import.amount_too_large.spent_usd": _AMOUNT_TOO_LARGE,
    "import.budget_large": _AMOUNT_TOO_LARGE,
    "import.file.too_large": {"size": _TENTHS, "limit": _WHOLE},
    "import.file.too_many_rows": {"limit": _WHOLE},
    "import.file.xlsx_bomb": {"size": _WHOLE},
    "import.spent_above_budget": _SPENT | {"share": format_percent},
    "import.spent_above_zero_budget": _SPENT,
}
"""Params that are numbers (amounts, limits, shares), by key: written per locale.

The producers give the raw number; `reason_text` formats it for the language
(``100000`` reads 100,000 / 100 000 / 100.000). A problem stored before, with
the number written out in English (``"100,000"``, ``"150%"``), has it read back
by `Problem.from_json`; a text that is no number is shown as it was.
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
        one of `LISTED_COUNTS` stored without its ``n`` gets it counted, and a
        number of `NUMBER_PARAMS` stored as English text is read back.
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
        for name in NUMBER_PARAMS.get(key, ()):
            if isinstance(params.get(name), str):
                params[name] = _stored_number(params[name])
        return cls(
            key,
            params,
            str(data.get("file", "")),
            str(data.get("item", "")),
            str(data.get("field", "")),
            str(data.get("severity", WARNING)),
        )


def _stored_number(text: str) -> float | str:
    """A number an older report wrote out in English ("1,500.00", "150%").

    >>> _stored_number("100,000"), _stored_number("150%"), _stored_number("n/a")
    (100000.0, 1.5, 'n/a')
    """
    plain = text.strip().replace(",", "")
    scale = 100 if plain.endswith("%") else 1
    try:
        return float(plain.removesuffix("%")) / scale
    except ValueError:
        return text


def _is_number(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def reason_text(problem: Problem, lang: str) -> str:
    """The problem's own sentence in `lang` (a file reason without the file name).

    Args:
        problem: the problem.
        lang: UI language code.

    Returns:
        The catalog text filled with the params (None reads "not given", a
        number of `NUMBER_PARAMS` is written for `lang`), ``{file}``,
        ``{item}`` and ``{field}``.
    """
    values: dict[str, object] = {
        "file": problem.file,
        "item": problem.item,
        "field": problem.field,
    }
    numbers = NUMBER_PARAMS.get(problem.key, {})
    for name, value in problem.params.items():
        if value is None:
            values[name] = translate("import.not_given", lang)
        elif name in numbers and _is_number(value):
            values[name] = numbers[name](value, lang)
        else:
            values[name] = value
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
