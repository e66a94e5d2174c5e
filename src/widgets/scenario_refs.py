"""Saved scenarios as links name them: by random id, old links by name.

Scenario names repeat across organisations (one's own "Plan" and another's
shared "Plan"), so a ``?compare=`` link carries ids; a name from an older link
is read as the first scenario of that name the user can see, their own
organisation's first (as `src.store.access.find` reads a name).
"""

from __future__ import annotations

from src.store.principal import Principal
from src.store.scenarios import ScenarioRecord

# Saved scenarios a page lists or offers at once: the most recent. Every run
# lists them and each session keeps its widgets' options, so a server's memory
# would otherwise grow with every scenario ever saved (the load test saves 55
# a minute); the library finds older ones by name, a link opens any by id.
LISTED = 100


def compare_labels(
    records: list[ScenarioRecord], actor: Principal, org_names: dict[str, str]
) -> dict[str, str]:
    """Each id -> what the picker and the comparison show (unique among `records`).

    Own scenarios show their name; others' add their organisation's name
    (names are unique within one organisation).

    >>> from datetime import datetime
    >>> r = [ScenarioRecord("Plan", "{}", "f", datetime.now(), datetime.now(), i, o)
    ...      for i, o in (("x1", "a"), ("x2", "b"))]
    >>> compare_labels(r, Principal("u", "a"), {"b": "Ministry B"})
    {'x1': 'Plan', 'x2': 'Plan (Ministry B)'}
    """
    own = actor.org
    return {
        r.id: r.name if r.org == own else f"{r.name} ({org_names.get(r.org, r.org)})"
        for r in records
    }


def resolve_refs(
    wanted: list[str], records: list[ScenarioRecord], actor: Principal
) -> tuple[list[str], list[str]]:
    """(ids of `wanted`, in order and once each; the refs that name nothing seen).

    Args:
        wanted: ids or names (older links), as the URL gives them.
        records: the scenarios the user can see.
        actor: the user (their own organisation's names come first).

    >>> from datetime import datetime
    >>> r = [ScenarioRecord("Plan", "{}", "f", datetime.now(), datetime.now(), i, o)
    ...      for i, o in (("x1", "b"), ("x2", "a"))]
    >>> resolve_refs(["Plan", "x1", "x2", "Nope"], r, Principal("u", "a"))
    (['x2', 'x1'], ['Nope'])
    """
    ids = {r.id for r in records}
    by_name: dict[str, str] = {}
    for r in sorted(records, key=lambda r: r.org != actor.org):
        by_name.setdefault(r.name, r.id)
    found: list[str] = []
    unknown: list[str] = []
    for ref in wanted:
        rid = ref if ref in ids else by_name.get(ref)
        if rid is None:
            unknown.append(ref)
        elif rid not in found:
            found.append(rid)
    return found, unknown
