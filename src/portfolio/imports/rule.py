"""One rule of the rules table (rules.py): a check of a row and its message.

A `Rule` both applies itself to a row and names its message (Datasette's
filters: one object gives the clause and its human wording): `find(row)` gives
the values of each breach, `check(row)` turns them into `Problem`s with the
rule's catalog key, field and severity; `flags(columns)` gives, for a whole
sheet at once, the rows that may break it (flags.py), so that `find` runs only
on those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from src.i18n import DEFAULT_LANG
from src.problems import Problem, problem_text

Params = Mapping[str, object]


class Row(Protocol):
    """What a rule reads: a template row (cells.TemplateRow) or an IATI row."""

    number: int | None
    file: str

    @property
    def item(self) -> str: ...  # noqa: D102

    def cell(self, col: str) -> str: ...  # noqa: D102

    def date(self, col: str) -> Any: ...  # noqa: D102, ANN401 - date | None

    def usd(self, col: str) -> float | None: ...  # noqa: D102

    def texts(self) -> Mapping[str, str]: ...  # noqa: D102 - text cells as read


@dataclass(frozen=True)
class Rule:
    """One check and its message.

    Attributes:
        key: catalog key of the message (``import.*``; ``iati.*`` for IATI rows).
        field: the column concerned; None when each breach names it (``column``).
        severity: `ERROR` (the row is rejected) or `WARNING` (kept, flagged).
        find: the params of each breach of `row` (none when the row passes).
        iati_key: the key for an IATI activity when the rule reads canonical
            values only (then it screens IATI rows too), else None.
        flags: the rows of a whole sheet (`columns.Columns`) that may break
            the rule, as a boolean mask (flags.py; never fewer than break it).
    """

    key: str
    field: str | None
    severity: str
    find: Callable[[Any], Iterable[Params]]
    iati_key: str | None = None
    flags: Callable[[Any], Any] | None = None

    @property
    def name(self) -> str:
        """The rule's identity: its key, and its column when it has one.

        >>> Rule("import.coordinate_range", "lat", "error", lambda r: []).name
        'import.coordinate_range[lat]'
        """
        return self.key if self.field is None else f"{self.key}[{self.field}]"

    @property
    def canonical(self) -> bool:
        """Whether the rule reads canonical values only (and so checks IATI)."""
        return self.iati_key is not None

    def check(self, row: Row) -> list[Problem]:
        """The rule's problems for `row` (empty when it passes)."""
        key = self.key
        where: dict[str, object] = {"row": row.number}
        if row.number is None and self.iati_key:  # an IATI activity: no row
            key, where = self.iati_key, {}
        return [
            Problem(
                key,
                {**where, **params},
                row.file,
                row.item,
                self.field or str(params.get("column", "")),
                self.severity,
            )
            for params in self.find(row)
        ]

    def explain(self, params: Params, lang: str = DEFAULT_LANG) -> str:
        """The rule's message for a template row breach with `params`."""
        return problem_text(Problem(self.key, params, severity=self.severity), lang)


def check_row(row: Row, rules: Iterable[Rule]) -> list[Problem]:
    """Every problem of `row` under `rules`, in table order."""
    return [p for rule in rules for p in rule.check(row)]


def one(test: Callable[[Any], Params | None]) -> Callable[[Any], list[Params]]:
    """A find function for a rule that a row breaks at most once."""

    def find(row: Any) -> list[Params]:  # noqa: ANN401
        params = test(row)
        return [] if params is None else [params]

    return find
