"""The hardened XML reader: the byte-level security gate of the IATI parser.

Files come from outside, so before and while lxml reads them:

* the prolog is scanned as bytes: an empty, compressed or non-XML file and any
  DOCTYPE or ENTITY declaration are refused before the parser sees them
  (billion laughs, external entities such as ``file:///etc/passwd``); entities
  are never expanded, DTDs never loaded, the network never used;
* UTF-8 (with or without BOM) and UTF-16 (BOM or NUL pattern) heads are read;
* nesting deeper than `MAX_DEPTH` levels is refused as soon as it is seen;
* an activity with more than `MAX_CHILDREN` children of one kind is marked
  (`ActivityElements.overflow`) and the extra children are freed as they are
  read, so such an activity costs bounded memory;
* the root must be ``<iati-activities>`` of a supported IATI version.

`ActivityElements` then yields each complete ``<iati-activity>`` element and
frees it afterwards, so memory does not grow with the file. Every refusal is a
`FatalError` carrying a message key (``iati.file.*``) and its params; the public
front (src/iati/parser.py) turns it into a `Problem`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import IO, Any

from lxml import etree

from src.problems import WARNING, Problem

MAX_DEPTH = 200
"""Deepest element nesting accepted (IATI itself needs fewer than 10 levels)."""

MAX_CHILDREN = 10_000
"""Most children of one kind (e.g. ``<sector>``) one activity may have."""

SUPPORTED_VERSIONS = ("2.01", "2.02", "2.03")

SAFE_PARSER_OPTIONS: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
"""lxml parser options for every XML we read: no entities, DTD or network."""

_PROLOG_LIMIT = 1 << 20  # bytes scanned for a DOCTYPE before the root element
_CHUNK = 1 << 16
_VERSION_FIELD = "iati-activities/@version"


class FatalError(Exception):
    """A problem that stops reading the current file.

    Args:
        key: catalog key of the reason (``iati.file.*``).
        **params: the values filling the reason's placeholders.
    """

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class CountingReader:
    """Binary reader that replays a pre-read head, then counts bytes read.

    Args:
        raw: the underlying binary file object.
        head: bytes already read from `raw` (the prolog scan).
    """

    def __init__(self, raw: IO[bytes], head: bytes) -> None:
        self._raw = raw
        self._head = head
        self.bytes_read = len(head)

    def read(self, size: int = -1) -> bytes:
        """Return up to `size` bytes: the replayed head first, then new data.

        Args:
            size: maximum number of bytes; negative reads everything.

        Returns:
            The bytes read (empty at end of file).
        """
        if self._head:
            if size is None or size < 0 or size >= len(self._head):
                out, self._head = self._head, b""
            else:
                out, self._head = self._head[:size], self._head[size:]
            return out
        data = self._raw.read(size if size is not None else -1)
        if not isinstance(data, bytes):
            raise FatalError("iati.file.binary_mode")
        self.bytes_read += len(data)
        return data


def open_checked(raw: IO[bytes]) -> CountingReader:
    """Check the head of `raw` and return the reader to hand to the parser.

    Args:
        raw: the binary source, at the position to read from.

    Returns:
        A `CountingReader` replaying the checked head.

    Raises:
        FatalError: when the file must be refused before parsing.
    """
    return CountingReader(raw, _read_prolog(raw))


def _read_prolog(raw: IO[bytes]) -> bytes:
    """Read the start of the file and reject what must not reach the parser.

    Rejects an empty file, non-XML content, compressed files and any DOCTYPE or
    ENTITY declaration before the root element.

    Args:
        raw: the binary source.

    Returns:
        The bytes read, to be replayed to the parser.

    Raises:
        FatalError: when the file must be rejected.
    """
    head = raw.read(_CHUNK)
    if not isinstance(head, bytes):
        raise FatalError("iati.file.binary_mode")
    if not head:
        raise FatalError("iati.file.empty")
    if head.startswith(b"\x1f\x8b") or head.startswith(b"PK\x03\x04"):
        raise FatalError("iati.file.compressed")
    while True:
        verdict = _scan_prolog(_decode_head(head))
        if verdict == "doctype":
            raise FatalError("iati.file.doctype")
        if verdict == "not-xml":
            raise FatalError("iati.file.not_xml_start", first=repr(head.lstrip()[:8]))
        if verdict == "root" or len(head) >= _PROLOG_LIMIT:
            return head
        more = raw.read(_CHUNK)
        if not more:
            if not head.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe\x00"):
                raise FatalError("iati.file.whitespace")
            return head  # let the parser report the precise error
        head += more


def _decode_head(head: bytes) -> str:
    """Decode the file head loosely, enough to find markup.

    Args:
        head: the first bytes of the file.

    Returns:
        The text (UTF-16 when a BOM or NUL pattern says so, else Latin-1, which
        maps every byte and keeps ASCII markup intact).
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    if head.startswith(b"<\x00"):
        return head[: len(head) // 2 * 2].decode("utf-16-le", errors="replace")
    if head.startswith(b"\x00<"):
        return head[: len(head) // 2 * 2].decode("utf-16-be", errors="replace")
    return head.decode("latin-1")


def _scan_prolog(text: str) -> str:
    """Classify the prolog of a document.

    Args:
        text: the decoded head of the file.

    Returns:
        ``"root"`` when the root start tag was reached cleanly, ``"doctype"``
        when a DOCTYPE/ENTITY declaration comes first, ``"not-xml"`` when the
        content does not start with markup and ``"more"`` when more bytes are
        needed.
    """
    pos = 0
    if text.startswith("\ufeff"):
        pos = 1
    if text.startswith("ï»¿"):  # UTF-8 BOM read as Latin-1
        pos = 3
    length = len(text)
    while True:
        while pos < length and text[pos] in " \t\r\n":
            pos += 1
        if pos >= length:
            return "more"
        if text[pos] != "<":
            return "not-xml"
        if text.startswith("<?", pos):
            closing = "?>"
        elif text.startswith("<!--", pos):
            closing = "-->"
        elif text.startswith("<!", pos):
            upper = text[pos : pos + 9].upper()
            if upper.startswith(("<!DOCTYPE", "<!ENTITY")):
                return "doctype"
            return "more" if len(upper) < 9 else "not-xml"
        else:
            return "root" if pos + 1 < length else "more"
        end = text.find(closing, pos + 2)
        if end == -1:
            return "more"
        pos = end + len(closing)


def syntax_error(exc: etree.XMLSyntaxError, read: int) -> FatalError:
    """Describe a libxml2 syntax error in words a user can act on.

    Args:
        exc: the parser error.
        read: activities read before the error.

    Returns:
        The refusal, with line and column.
    """
    line, column = exc.position if exc.position else (exc.lineno, 0)
    detail = (exc.msg or str(exc)).strip()
    # with resolve_entities=False lxml may raise a generic "no element found" at
    # (0, 0); libxml2's own error is then the newest entry of the error log
    log = exc.error_log
    if (not line or line <= 0) and log is not None and len(log):
        last = log[-1]
        line, column, detail = last.line, last.column, last.message.strip()
    where = {"line": line, "column": column}
    if "Excessive depth" in detail:
        return FatalError("iati.file.too_deep_at", limit=MAX_DEPTH, **where)
    if "XML_PARSE_HUGE" in detail:
        # libxml2's 10 MB cap on one text or attribute value ("try
        # XML_PARSE_HUGE" is advice for programmers, not for our users)
        return FatalError("iati.file.too_long_value", read=read, **where)
    if read == 0 and ("Document is empty" in detail or "Start tag expected" in detail):
        return FatalError("iati.file.not_xml", detail=detail, **where)
    return FatalError("iati.file.malformed", detail=detail, read=read, **where)


def check_root(root: Any, name: str) -> list[Problem]:
    """Check the root element, the IATI version and (again) for a DOCTYPE.

    Args:
        root: the root element (its start tag has been parsed).
        name: file name for the warnings.

    Returns:
        The version warnings (none for a supported version).

    Raises:
        FatalError: for a DOCTYPE, a non-IATI root or an unsupported version.
    """
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise FatalError("iati.file.doctype_root")
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag != "iati-activities":
        if tag == "iati-organisations":
            raise FatalError("iati.file.root_organisations", tag=tag)
        raise FatalError("iati.file.root", tag=tag)
    version = (root.get("version") or "").strip()
    supported = ", ".join(SUPPORTED_VERSIONS)
    if version in SUPPORTED_VERSIONS:
        return []
    if not version:
        return [Problem("iati.no_version", {}, name, "", _VERSION_FIELD, WARNING)]
    if version.startswith("1"):
        raise FatalError("iati.file.version_1", version=version)
    if re.fullmatch(r"2\.\d{2}", version):
        params = {"version": version, "supported": supported}
        return [Problem("iati.version_other", params, name, "", _VERSION_FIELD)]
    raise FatalError("iati.file.version_unknown", version=version, supported=supported)


class ActivityElements:
    """The complete ``<iati-activity>`` elements of one file, in document order.

    Runs lxml's iterparse with every dangerous feature off, refuses nesting
    deeper than `MAX_DEPTH`, hands the root to `on_root` (which may raise) and
    frees each element once the consumer has taken it.

    Args:
        reader: the byte source (prolog already checked).
        on_root: called with the root element when its start tag is read.

    Attributes:
        open_line: line of the activity being read, None between activities;
            after a break it names the activity the break cut off.
        overflow: for the activity just yielded, (tag, count) of a kind of
            child it has more than `MAX_CHILDREN` of (the extra ones were
            freed), else None.
    """

    def __init__(self, reader: CountingReader, on_root: Callable[[Any], None]) -> None:
        self._reader = reader
        self._on_root = on_root
        self.open_line: int | None = None
        self.overflow: tuple[str, int] | None = None
        self._children: dict[str, int] = {}

    def __iter__(self) -> Iterator[Any]:
        """Yield each complete activity element (then free it).

        Raises:
            FatalError: for hostile or non-IATI content.
            etree.XMLSyntaxError: for malformed XML.
        """
        context = etree.iterparse(
            self._reader,
            events=("start", "end"),
            **SAFE_PARSER_OPTIONS,
        )
        depth = 0
        seen_root = False
        for event, elem in context:
            if event == "start":
                depth += 1
                if depth > MAX_DEPTH:
                    raise FatalError(
                        "iati.file.too_deep", limit=MAX_DEPTH, line=elem.sourceline
                    )
                if depth == 1:
                    seen_root = True
                    self._on_root(elem)
                elif depth == 2 and elem.tag == "iati-activity":
                    self.open_line = elem.sourceline
                    self._children = {}
                continue
            depth -= 1
            if depth == 2:
                self._count_child(elem)
            if depth != 1:
                continue
            if elem.tag == "iati-activity":
                self.open_line = None
                self.overflow = self._overflow()
                yield elem
            _free(elem)
        if not seen_root:
            raise FatalError("iati.file.no_root")

    def _count_child(self, elem: Any) -> None:
        """Count a completed child of an activity; free it beyond the cap."""
        tag = elem.tag if isinstance(elem.tag, str) else ""
        count = self._children.get(tag, 0) + 1
        self._children[tag] = count
        if count > MAX_CHILDREN:
            parent = elem.getparent()
            elem.clear(keep_tail=False)
            if parent is not None:
                parent.remove(elem)

    def _overflow(self) -> tuple[str, int] | None:
        over = [(n, t) for t, n in self._children.items() if n > MAX_CHILDREN]
        if not over:
            return None
        count, tag = max(over)
        return tag, count


def _free(elem: Any) -> None:
    """Free `elem` and every sibling before it (memory stays bounded)."""
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]
