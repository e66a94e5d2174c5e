"""Widget keys, session-state keys and URL parameters are declared in state.py.

A string literal used as `key=`, as a `st.session_state` / `st.query_params`
key, or tested with `in st.session_state`, anywhere else fails this test.
"""

from __future__ import annotations

import ast
import re

from src.widgets.state import RELABELLED, lever_key
from tests.conftest import ROOT

STATE = "src/widgets/state.py"
STORES = {"session_state", "query_params"}
ACCESSORS = {"get", "pop", "setdefault", "get_all", "__contains__"}


def _is_literal(node: ast.AST) -> bool:
    """A string constant, or an f-string with any literal text in it."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return any(
            _is_literal(v) and any(c.isalpha() for c in v.value)
            for v in node.values
            if isinstance(v, ast.Constant)
        )
    return False


def _is_store(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in STORES


def key_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every key literal in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        keys: list[ast.AST] = []
        if isinstance(node, ast.Call):
            keys += [k.value for k in node.keywords if k.arg == "key"]
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in ACCESSORS
                and _is_store(func.value)
                and node.args
            ):
                keys.append(node.args[0])
        elif isinstance(node, ast.Subscript) and _is_store(node.value):
            keys.append(node.slice)
        elif isinstance(node, ast.Compare) and any(
            _is_store(c) for c in node.comparators
        ):
            keys.append(node.left)
        found += [(k.lineno, ast.unparse(k)) for k in keys if _is_literal(k)]
    return sorted(found)


def test_the_checker_finds_each_kind_of_key_literal():
    source = """
st.button("x", key="a.b")
st.session_state["c"] = 1
st.query_params.get("d")
x = "e" in st.session_state
st.download_button("y", key=f"f.{i}")
st.button("z", key=state.OK)
st.button("z", key=f"{state.OK}.{i}")
"""
    assert [text for _, text in key_literals(source)] == [
        "'a.b'",
        "'c'",
        "'d'",
        "'e'",
        "f'f.{i}'",
    ]


def test_no_key_literal_outside_state_py():
    files = [ROOT / "dashboard.py", *ROOT.glob("pages/*.py"), *ROOT.glob("src/**/*.py")]
    offenders = {}
    for path in sorted(files):
        rel = path.relative_to(ROOT).as_posix()
        if rel == STATE:
            continue
        found = key_literals(path.read_text("utf-8"))
        if found:
            offenders[rel] = found
    assert offenders == {}


def test_lever_keys_keep_the_values_links_and_sessions_use():
    assert lever_key(0, "kind") == "scen.lever.0.kind"
    assert lever_key(12, "projects") == "scen.lever.12.projects"


def test_relabelled_patterns_match_exactly_the_translated_select_boxes():
    def relabelled(key: str) -> bool:
        return any(re.fullmatch(p, key) for p in RELABELLED)

    for key in ("scen.lever.0.kind", "scen.lever.12.kind", "scen.policy"):
        assert relabelled(key), key
    assert relabelled("country.select")
    for key in (
        "scen.lever.0.change",  # a slider: no option labels
        "scen.lever.x.kind",
        "scenXlever.0.kind",  # the dots are literal
        "scen.policyX",
        "scen.pick",  # set by the rename callback, not the language switch
    ):
        assert not relabelled(key), key
