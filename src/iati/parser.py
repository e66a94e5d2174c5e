"""Streaming, hardened parser for IATI 2.0x activity XML files.

The parser reads one `<iati-activity>` at a time with `lxml.etree.iterparse`, turns
it into an `Activity` (src/iati/model.py) and frees the element, so memory does not
grow with the file size beyond the activities the caller keeps.

Safety rules, because the files come from outside:

* A document with a DOCTYPE or ENTITY declaration is rejected before parsing
  (billion laughs, external entities such as ``file:///etc/passwd``); entities
  are never expanded, DTDs never loaded, the network never used.
* Nesting deeper than `MAX_DEPTH` levels is rejected as soon as it is seen.
* Nothing raises out of `iter_activities` (one exception barrier), hence out of
  `parse_file` / `parse_files`: every problem becomes a `Problem` in the
  `ParseReport` (fatal for the file, skipped for an activity,
  warning for a value), and the activities read before a break are kept.

Only IATI 2.01, 2.02 and 2.03 are supported; a 1.x file is rejected. Attributes
and elements in other namespaces (for example D-Portal's ``dstore:*``) are ignored.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from lxml import etree

from src.iati.model import (
    Activity,
    Budget,
    Location,
    Money,
    ParseReport,
    Problem,
    Share,
    Transaction,
)

MAX_DEPTH = 200
"""Deepest element nesting accepted (IATI itself needs fewer than 10 levels)."""

SUPPORTED_VERSIONS = ("2.01", "2.02", "2.03")
PROGRESS_EVERY = 500
"""`on_progress` is called after every this many activities, and at the end."""

_PROLOG_LIMIT = 1 << 20  # bytes scanned for a DOCTYPE before the root element
_CHUNK = 1 << 16
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ]|Z$|[+-]\d{2}:?\d{2}$)")
_SDG_RE = re.compile(r"^(\d{1,2})(?:\.([0-9a-z]{1,2})(?:\.(\d{1,2}))?)?$")
_DAC5_RE = re.compile(r"^\d{5}$")
_DAC3_RE = re.compile(r"^\d{3}$")
_TRUE = frozenset({"1", "true"})

# sector vocabularies: 1 DAC 5-digit, 2 DAC 3-digit, 7/8/9 SDG goal/target/indicator
_SDG_SECTOR_VOCABS = frozenset({"7", "8", "9"})
# tag vocabularies: 2 SDG goal, 3 SDG target
_SDG_TAG_VOCABS = frozenset({"2", "3"})
# activity-date types -> Activity attribute
_DATE_FIELDS = {
    "1": "start_planned",
    "2": "start_actual",
    "3": "end_planned",
    "4": "end_actual",
}


class _FatalError(Exception):
    """A problem that stops reading the current file."""


class _Reader:
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
            raise _FatalError("the source must be opened in binary mode ('rb')")
        self.bytes_read += len(data)
        return data


# --------------------------------------------------------------------------- #
# public API
# --------------------------------------------------------------------------- #


def iter_activities(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    file_name: str | None = None,
    report: ParseReport,
    on_progress: Callable[[int, int], None] | None = None,
) -> Iterator[Activity]:
    """Stream the activities of one IATI activity file.

    Problems never raise: they are added to `report` (``fatal`` for an unreadable
    file, ``skipped`` for a dropped activity, ``warnings`` for an ignored value).
    Activities read before a fatal break have already been yielded.

    Args:
        source: a path, or a binary file object (read from its current position).
        file_name: name used in problems and `Activity.source_file`; defaults to
            the path's base name or the file object's ``name``.
        report: the report to fill; `report.files` gets this file's name.
        on_progress: optional callback ``(activities_read, bytes_read)`` called
            every `PROGRESS_EVERY` activities and once at the end.

    Yields:
        Each kept `Activity`, in document order.
    """
    name = file_name or _source_name(source)
    report.files.append(name)
    counter = {"read": 0}
    reader: _Reader | None = None
    handle: IO[bytes] | None = None
    try:
        if isinstance(source, str | os.PathLike):
            handle = open(source, "rb")  # noqa: SIM115 - closed in finally
            raw: IO[bytes] = handle
        else:
            raw = source
        head = _read_prolog(raw)
        reader = _Reader(raw, head)
        yield from _parse_stream(reader, name, report, counter, on_progress)
    except _FatalError as exc:
        _fatal(report, name, str(exc))
    except etree.XMLSyntaxError as exc:
        _fatal(report, name, _syntax_message(exc, counter["read"]))
    except (etree.LxmlError, OSError, ValueError, MemoryError) as exc:
        _fatal(report, name, f"could not be read ({type(exc).__name__}: {exc})")
    except Exception as exc:  # noqa: BLE001 - the one barrier: never raise
        _fatal(report, name, f"unexpected error ({type(exc).__name__}: {exc})")
    finally:
        if handle is not None:
            handle.close()
        if on_progress is not None:
            on_progress(counter["read"], reader.bytes_read if reader else 0)


def parse_file(
    path_or_fileobj: str | os.PathLike[str] | IO[bytes],
    *,
    file_name: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Activity], ParseReport]:
    """Parse one IATI activity file into a list of activities and a report.

    Args:
        path_or_fileobj: a path or a binary file object.
        file_name: name used in problems; defaults to the path's base name.
        on_progress: optional ``(activities_read, bytes_read)`` callback.

    Returns:
        The kept activities and the `ParseReport` describing the file.
    """
    report = ParseReport()
    activities = _collect(path_or_fileobj, file_name, report, on_progress)
    return activities, report


def parse_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Activity], ParseReport]:
    """Parse several IATI activity files into one list and one report.

    Every activity is returned, repeated identifiers included: which copy counts
    is the portfolio's duplicate policy (`src.portfolio.dedupe`).

    Args:
        paths: the files, parsed in the given order.
        on_progress: optional ``(activities_read, bytes_read)`` callback, per file.

    Returns:
        All kept activities and one `ParseReport` over every file.
    """
    report = ParseReport()
    activities: list[Activity] = []
    for path in paths:
        activities.extend(_collect(path, None, report, on_progress))
    return activities, report


def count_activities_fast(path: str | os.PathLike[str]) -> int:
    """Count ``<iati-activity`` start tags by a byte scan, for progress bars.

    This is an estimate: it does not parse, so commented-out activities count.

    Args:
        path: the file to scan.

    Returns:
        The number of ``<iati-activity`` start tags found.
    """
    pattern = re.compile(rb"<iati-activity[\s>/]")
    count = 0
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            data = tail + chunk
            count += len(pattern.findall(data))
            # keep the last bytes so a tag split across chunks is still found once
            cut = max(len(data) - 15, 0)
            last = data.rfind(b"<iati-activity", cut)
            tail = data[last:] if last != -1 and not pattern.match(data, last) else b""
    return count


# --------------------------------------------------------------------------- #
# file-level steps
# --------------------------------------------------------------------------- #


def _collect(
    source: str | os.PathLike[str] | IO[bytes],
    file_name: str | None,
    report: ParseReport,
    on_progress: Callable[[int, int], None] | None,
) -> list[Activity]:
    """Run `iter_activities` (which never raises) into a list.

    Args:
        source: path or binary file object.
        file_name: optional display name.
        report: the report to fill.
        on_progress: optional progress callback.

    Returns:
        The kept activities (those read before any failure).
    """
    return list(
        iter_activities(
            source, file_name=file_name, report=report, on_progress=on_progress
        )
    )


def _source_name(source: object) -> str:
    """Return a display name for a path or file object.

    Args:
        source: a path or a file object.

    Returns:
        The base name, or ``"<stream>"`` when none is known.
    """
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    name = getattr(source, "name", None)
    if isinstance(name, str | os.PathLike):
        return Path(name).name
    return "<stream>"


def _fatal(report: ParseReport, name: str, message: str) -> None:
    """Record a fatal (whole-file) problem.

    Args:
        report: the report to fill.
        name: the file name.
        message: plain-language description (the file name is prefixed).
    """
    report.fatal.append(Problem(name, "", "file", f"{name}: {message}", "error"))


def _read_prolog(raw: IO[bytes]) -> bytes:
    """Read the start of the file and reject what must not reach the parser.

    Rejects an empty file, non-XML content, compressed files and any DOCTYPE or
    ENTITY declaration before the root element.

    Args:
        raw: the binary source.

    Returns:
        The bytes read, to be replayed to the parser.

    Raises:
        _FatalError: when the file must be rejected.
    """
    head = raw.read(_CHUNK)
    if not isinstance(head, bytes):
        raise _FatalError("the source must be opened in binary mode ('rb')")
    if not head:
        raise _FatalError("the file is empty (0 bytes); no activities read")
    if head.startswith(b"\x1f\x8b") or head.startswith(b"PK\x03\x04"):
        raise _FatalError(
            "this is a compressed file (gzip/zip), not XML; unpack it first"
        )
    while True:
        verdict = _scan_prolog(_decode_head(head))
        if verdict == "doctype":
            raise _FatalError(
                "the file contains a DOCTYPE/ENTITY declaration, which IATI files "
                "never need; rejected for safety (entities are not expanded)"
            )
        if verdict == "not-xml":
            first = head.lstrip()[:8]
            raise _FatalError(
                "this is not an XML file (it does not start with '<'; first bytes "
                f"{first!r}); no activities read"
            )
        if verdict == "root" or len(head) >= _PROLOG_LIMIT:
            return head
        more = raw.read(_CHUNK)
        if not more:
            if not head.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe\x00"):
                raise _FatalError("the file contains only whitespace; no XML")
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


def _syntax_message(exc: etree.XMLSyntaxError, read: int) -> str:
    """Describe a libxml2 syntax error in words a user can act on.

    Args:
        exc: the parser error.
        read: activities read before the error.

    Returns:
        The message, with line and column.
    """
    line, column = exc.position if exc.position else (exc.lineno, 0)
    detail = (exc.msg or str(exc)).strip()
    # with resolve_entities=False lxml may raise a generic "no element found" at
    # (0, 0); libxml2's own error is then the newest entry of the error log
    log = exc.error_log
    if (not line or line <= 0) and log is not None and len(log):
        last = log[-1]
        line, column, detail = last.line, last.column, last.message.strip()
    if "Excessive depth" in detail:
        return (
            f"XML nesting is too deep (more than {MAX_DEPTH} levels) at line "
            f"{line}, column {column}; rejected as malformed or hostile"
        )
    if read == 0 and ("Document is empty" in detail or "Start tag expected" in detail):
        return f"this is not an XML file ({detail}, line {line}, column {column})"
    return (
        f"the XML is malformed or truncated at line {line}, column {column} "
        f"({detail}); the {read} complete activities before that point were read "
        "(kept unless listed as skipped), the rest of the file was not read"
    )


def _check_root(root: Any, name: str, report: ParseReport) -> None:
    """Check the root element, the IATI version and (again) for a DOCTYPE.

    Args:
        root: the root element (its start tag has been parsed).
        name: file name for messages.
        report: the report to fill with a version warning.

    Raises:
        _FatalError: for a DOCTYPE, a non-IATI root or an unsupported version.
    """
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _FatalError(
            "the file contains a DOCTYPE/ENTITY declaration; rejected for safety"
        )
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag != "iati-activities":
        hint = (
            " (an IATI organisation file, not an activity file)"
            if tag == "iati-organisations"
            else ""
        )
        raise _FatalError(
            f"the root element is <{tag}>{hint}, not <iati-activities>; "
            "no activities read"
        )
    version = (root.get("version") or "").strip()
    if not version:
        report.warnings.append(
            Problem(
                name,
                "",
                "iati-activities/@version",
                f"{name}: no IATI version declared; read as IATI 2.0x",
            )
        )
    elif version in SUPPORTED_VERSIONS:
        return
    elif version.startswith("1"):
        raise _FatalError(
            f"declares IATI version {version}; IATI 1.x is not supported; "
            "convert to 2.0x (for example with the IATI 1-to-2 converter)"
        )
    elif re.fullmatch(r"2\.\d{2}", version):
        report.warnings.append(
            Problem(
                name,
                "",
                "iati-activities/@version",
                f"{name}: IATI version {version} is not one of "
                f"{', '.join(SUPPORTED_VERSIONS)}; read as 2.03",
            )
        )
    else:
        raise _FatalError(
            f"declares an unknown IATI version {version!r}; expected one of "
            f"{', '.join(SUPPORTED_VERSIONS)}"
        )


def _parse_stream(
    reader: _Reader,
    name: str,
    report: ParseReport,
    counter: dict[str, int],
    on_progress: Callable[[int, int], None] | None,
) -> Iterator[Activity]:
    """Run the hardened iterparse loop over one file.

    Args:
        reader: the byte source (prolog already checked).
        name: file name for messages.
        report: the report to fill.
        counter: ``{"read": n}``, updated as activities are read.
        on_progress: optional progress callback.

    Yields:
        Each kept activity.

    Raises:
        _FatalError: for hostile or non-IATI content.
    """
    context = etree.iterparse(
        reader,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    depth = 0
    open_activity_line: int | None = None
    seen_root = False
    try:
        for event, elem in context:
            if event == "start":
                depth += 1
                if depth > MAX_DEPTH:
                    raise _FatalError(
                        f"XML nesting is deeper than {MAX_DEPTH} levels (line "
                        f"{elem.sourceline}); rejected as malformed or hostile"
                    )
                if depth == 1:
                    seen_root = True
                    _check_root(elem, name, report)
                elif depth == 2 and elem.tag == "iati-activity":
                    open_activity_line = elem.sourceline
                continue
            depth -= 1
            if depth != 1:
                continue
            if elem.tag == "iati-activity":
                open_activity_line = None
                counter["read"] += 1
                report.activities_read += 1
                activity = _activity_or_skip(elem, name, counter["read"], report)
                if activity is not None:
                    report.activities_kept += 1
                    yield activity
                if on_progress is not None and counter["read"] % PROGRESS_EVERY == 0:
                    on_progress(counter["read"], reader.bytes_read)
            # free this element and everything before it
            elem.clear(keep_tail=False)
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
    except (etree.XMLSyntaxError, _FatalError):
        if open_activity_line is not None:
            # the activity being read when the XML broke: counted and skipped
            position = counter["read"] + 1
            report.activities_read += 1
            report.skipped.append(
                Problem(
                    name,
                    f"activity #{position} (incomplete)",
                    "iati-activity",
                    f"{name}: activity #{position} starting at line "
                    f"{open_activity_line} is cut off by the file error reported "
                    "for this file; skipped",
                    "error",
                )
            )
        raise
    if not seen_root:
        raise _FatalError("no XML root element found; no activities read")


# --------------------------------------------------------------------------- #
# activity extraction
# --------------------------------------------------------------------------- #


class _Ctx:
    """Per-activity context: where warnings go and what defaults apply.

    Args:
        name: file name.
        identifier: the activity identifier.
        report: the report to fill.
        lang: the activity's default language (lower-case, "" when none).
        currency: the activity's default currency ("" when none).
    """

    __slots__ = ("name", "identifier", "report", "lang", "currency")

    def __init__(
        self, name: str, identifier: str, report: ParseReport, lang: str, currency: str
    ) -> None:
        self.name = name
        self.identifier = identifier
        self.report = report
        self.lang = lang
        self.currency = currency

    def warn(self, field_name: str, message: str) -> None:
        """Record a warning for this activity.

        Args:
            field_name: element or attribute concerned.
            message: what was wrong and what was done.
        """
        self.report.warnings.append(
            Problem(self.name, self.identifier, field_name, message, "warning")
        )


def _activity_or_skip(
    elem: Any, name: str, position: int, report: ParseReport
) -> Activity | None:
    """Build an activity, or record why it is skipped.

    Args:
        elem: the complete ``<iati-activity>`` element.
        name: file name.
        position: 1-based position of the activity in the file.
        report: the report to fill.

    Returns:
        The activity, or None when it was skipped (recorded in the report).
    """
    identifier = (elem.findtext("iati-identifier") or "").strip()
    if not identifier:
        label = f"activity #{position} (no iati-identifier)"
        report.skipped.append(
            Problem(
                name,
                label,
                "iati-identifier",
                f"{name}: {label} at line {elem.sourceline} has no identifier; skipped",
                "error",
            )
        )
        return None
    try:
        activity = _build_activity(elem, name, identifier, report)
    except Exception as exc:  # noqa: BLE001 - one bad activity must not stop the file
        report.skipped.append(
            Problem(
                name,
                identifier,
                "iati-activity",
                f"{name}: activity {identifier} (#{position}, line {elem.sourceline}) "
                f"could not be read ({type(exc).__name__}: {exc}); skipped",
                "error",
            )
        )
        return None
    return activity


def _build_activity(
    elem: Any, name: str, identifier: str, report: ParseReport
) -> Activity:
    """Extract every field of one activity.

    Args:
        elem: the ``<iati-activity>`` element.
        name: file name.
        identifier: the stripped identifier.
        report: the report for warnings.

    Returns:
        The `Activity`.
    """
    currency = (elem.get("default-currency") or "").strip().upper()
    lang = (elem.get(_XML_LANG) or "").strip().lower()
    ctx = _Ctx(name, identifier, report, lang, currency)
    act = Activity(
        identifier=identifier,
        title="",
        reporting_org="",
        reporting_org_ref="",
        default_currency=currency,
        last_updated=(elem.get("last-updated-datetime") or "").strip(),
        humanitarian=(elem.get("humanitarian") or "").strip().lower() in _TRUE,
        source_file=name,
    )
    for child in elem:
        extract = _FIELDS.get(child.tag) if isinstance(child.tag, str) else None
        if extract is not None:
            extract(child, act, ctx)
    if not act.title:
        ctx.warn("title", f"{name}: activity {identifier} has no title")
    return act


def _title(elem: Any, act: Activity, ctx: _Ctx) -> None:
    act.title = _narrative(elem, ctx.lang)


def _reporting_org(elem: Any, act: Activity, ctx: _Ctx) -> None:
    act.reporting_org_ref = (elem.get("ref") or "").strip()
    act.reporting_org_type = (elem.get("type") or "").strip()
    act.reporting_org = _narrative(elem, ctx.lang) or act.reporting_org_ref


def _status(elem: Any, act: Activity, ctx: _Ctx) -> None:
    act.status_code = (elem.get("code") or "").strip()


def _activity_date(elem: Any, act: Activity, ctx: _Ctx) -> None:
    attr = _DATE_FIELDS.get((elem.get("type") or "").strip())
    if attr is not None:
        setattr(act, attr, _date(elem.get("iso-date"), ctx, "activity-date"))


def _country(elem: Any, act: Activity, ctx: _Ctx) -> None:
    share = _share(elem, ctx, "recipient-country", ctx.lang, upper=True)
    if share is not None:
        act.countries.append(share)


def _region(elem: Any, act: Activity, ctx: _Ctx) -> None:
    share = _share(elem, ctx, "recipient-region", ctx.lang, default_vocab="1")
    if share is not None:
        act.regions.append(share)


def _tag(elem: Any, act: Activity, ctx: _Ctx) -> None:
    if (elem.get("vocabulary") or "").strip() in _SDG_TAG_VOCABS:
        _add_sdg(elem.get("code"), act.sdg_tags, ctx, "tag")


def _appending(
    read: Callable[[Any, _Ctx], Any | None], attr: str
) -> Callable[[Any, Activity, _Ctx], None]:
    """An extractor appending `read(elem, ctx)` to ``act.<attr>`` unless None."""

    def extract(elem: Any, act: Activity, ctx: _Ctx) -> None:
        value = read(elem, ctx)
        if value is not None:
            getattr(act, attr).append(value)

    return extract


def _narrative(elem: Any, default_lang: str) -> str:
    """Pick the best narrative of an element.

    English first (explicit ``xml:lang`` en/EN, or no ``xml:lang`` in an English
    activity), then the activity's default language, then the first non-empty one.

    Args:
        elem: an element holding ``<narrative>`` children.
        default_lang: the activity's default language, lower-case.

    Returns:
        The narrative text, stripped ("" when there is none).
    """
    default_text = ""
    first_text = ""
    for narrative in elem.iterchildren("narrative"):
        text = (narrative.text or "").strip()
        if not text:
            continue
        lang = (narrative.get(_XML_LANG) or default_lang).strip().lower()
        if lang == "en":
            return text
        if not default_text and lang == default_lang:
            default_text = text
        if not first_text:
            first_text = text
    return default_text or first_text


def _participating_org(elem: Any, act: Activity, lang: str) -> None:
    """Add a funding (role 1) or implementing (role 4) organisation name.

    Args:
        elem: the ``<participating-org>`` element.
        act: the activity to update.
        lang: the activity's default language.
    """
    role = (elem.get("role") or "").strip()
    if role == "1":
        target = act.funding_orgs
    elif role == "4":
        target = act.implementing_orgs
    else:
        return
    org = _narrative(elem, lang) or (elem.get("ref") or "").strip()
    if org and org not in target:
        target.append(org)


def _number(text: str | None, ctx: _Ctx, field_name: str) -> float | None:
    """Parse a decimal number; warn and return None when it is not one.

    Args:
        text: the reported text.
        ctx: the activity context.
        field_name: the element or attribute, for the warning.

    Returns:
        The finite float, or None.
    """
    raw = (text or "").strip()
    if not raw:
        ctx.warn(field_name, f"{ctx.name}: activity {ctx.identifier}: empty value")
        return None
    try:
        number = float(raw)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        ctx.warn(
            field_name,
            f"{ctx.name}: activity {ctx.identifier}: {field_name} {raw[:40]!r} is "
            "not a number; ignored",
        )
        return None
    return number


def _date(text: str | None, ctx: _Ctx, field_name: str) -> date | None:
    """Parse an ISO date (a time or time zone suffix is tolerated).

    Args:
        text: the reported iso-date / value-date.
        ctx: the activity context.
        field_name: the element concerned, for the warning.

    Returns:
        The date, or None (with a warning unless the attribute is absent/empty).
    """
    raw = (text or "").strip()
    if not raw:
        return None
    match = _DATE_RE.match(raw)
    if match is not None:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    ctx.warn(
        field_name,
        f"{ctx.name}: activity {ctx.identifier}: {field_name} date {raw[:40]!r} is "
        "not a valid YYYY-MM-DD date; ignored",
    )
    return None


def _share(
    elem: Any,
    ctx: _Ctx,
    field_name: str,
    lang: str,
    *,
    upper: bool = False,
    default_vocab: str = "",
) -> Share | None:
    """Read a coded share (recipient country or region).

    Args:
        elem: the element.
        ctx: the activity context.
        field_name: element name for warnings.
        lang: the activity's default language.
        upper: upper-case the code (country codes).
        default_vocab: vocabulary assumed when the attribute is absent.

    Returns:
        The share, or None when it has no code (warned).
    """
    code = (elem.get("code") or "").strip()
    name = _narrative(elem, lang)
    if not code:
        label = f" (named {name[:40]!r})" if name else ""
        ctx.warn(
            field_name,
            f"{ctx.name}: activity {ctx.identifier}: {field_name} without a code"
            f"{label}; ignored",
        )
        return None
    pct_text = elem.get("percentage")
    percentage = None
    if pct_text is not None and pct_text.strip():
        percentage = _number(pct_text, ctx, f"{field_name}/@percentage")
    return Share(
        code=code.upper() if upper else code,
        percentage=percentage,
        vocabulary=(elem.get("vocabulary") or default_vocab).strip(),
        name=name,
    )


def _sector(elem: Any, act: Activity, sdg: list[str], ctx: _Ctx) -> None:
    """Route an activity-level sector to DAC codes, DAC categories or SDG tags.

    Args:
        elem: the ``<sector>`` element.
        act: the activity to update.
        sdg: the SDG tag list being built.
        ctx: the activity context.
    """
    vocab = (elem.get("vocabulary") or "1").strip() or "1"
    code = (elem.get("code") or "").strip()
    if vocab in _SDG_SECTOR_VOCABS:
        _add_sdg(code, sdg, ctx, "sector")
        return
    if vocab not in ("1", "2"):
        return  # agency-specific vocabularies (98/99, clusters...) are not used
    pattern = _DAC5_RE if vocab == "1" else _DAC3_RE
    if not pattern.match(code):
        ctx.warn(
            "sector",
            f"{ctx.name}: activity {ctx.identifier}: sector code {code[:20]!r} is "
            f"not a DAC {'5' if vocab == '1' else '3'}-digit code; ignored",
        )
        return
    pct_text = elem.get("percentage")
    percentage = None
    if pct_text is not None and pct_text.strip():
        percentage = _number(pct_text, ctx, "sector/@percentage")
    share = Share(code, percentage, vocab, _narrative(elem, ctx.lang))
    (act.sectors if vocab == "1" else act.sector_categories).append(share)


def _add_sdg(code: str | None, sdg: list[str], ctx: _Ctx, field_name: str) -> None:
    """Normalise an SDG goal/target/indicator code and add it once.

    Codes are normalised to the UN notation: ``"03"`` -> ``"3"``, ``"3.D"`` ->
    ``"3.d"``; ``"3.3.1"`` stays an indicator.

    Args:
        code: the reported code.
        sdg: the list to extend.
        ctx: the activity context.
        field_name: element for the warning.
    """
    raw = (code or "").strip().lower()
    match = _SDG_RE.match(raw)
    if match is None or not 1 <= int(match[1]) <= 17:
        ctx.warn(
            field_name,
            f"{ctx.name}: activity {ctx.identifier}: SDG code {raw[:20]!r} is not a "
            "goal/target/indicator code; ignored",
        )
        return
    parts = [str(int(match[1]))]
    if match[2]:
        parts.append(str(int(match[2])) if match[2].isdigit() else match[2])
    if match[3]:
        parts.append(str(int(match[3])))
    normalised = ".".join(parts)
    if normalised not in sdg:
        sdg.append(normalised)


def _money(elem: Any | None, ctx: _Ctx, field_name: str) -> Money | None:
    """Read a ``<value>``: amount, currency (own else default) and value-date.

    Args:
        elem: the ``<value>`` element, or None when missing.
        ctx: the activity context.
        field_name: the parent element, for warnings.

    Returns:
        The money, or None when missing or not numeric (warned).
    """
    if elem is None:
        ctx.warn(
            field_name,
            f"{ctx.name}: activity {ctx.identifier}: {field_name} without a value; "
            "ignored",
        )
        return None
    amount = _number(elem.text, ctx, f"{field_name}/value")
    if amount is None:
        return None
    currency = (elem.get("currency") or "").strip().upper() or ctx.currency
    if not currency:
        ctx.warn(
            f"{field_name}/value/@currency",
            f"{ctx.name}: activity {ctx.identifier}: {field_name} value has no "
            "currency and the activity has no default-currency",
        )
    return Money(amount, currency, _date(elem.get("value-date"), ctx, "value-date"))


def _budget(elem: Any, ctx: _Ctx) -> Budget | None:
    """Read a ``<budget>``; type and status default to 1 as IATI specifies.

    Args:
        elem: the ``<budget>`` element.
        ctx: the activity context.

    Returns:
        The budget, or None when its value is unusable (warned).
    """
    value = _money(elem.find("value"), ctx, "budget")
    if value is None:
        return None
    start = elem.find("period-start")
    end = elem.find("period-end")
    return Budget(
        type=(elem.get("type") or "").strip() or "1",
        status=(elem.get("status") or "").strip() or "1",
        period_start=None
        if start is None
        else _date(start.get("iso-date"), ctx, "budget/period-start"),
        period_end=None
        if end is None
        else _date(end.get("iso-date"), ctx, "budget/period-end"),
        value=value,
    )


def _transaction(elem: Any, ctx: _Ctx) -> Transaction | None:
    """Read a ``<transaction>``.

    Args:
        elem: the ``<transaction>`` element.
        ctx: the activity context.

    Returns:
        The transaction, or None when its value is unusable (warned).
    """
    type_elem = elem.find("transaction-type")
    type_code = "" if type_elem is None else (type_elem.get("code") or "").strip()
    value = _money(elem.find("value"), ctx, "transaction")
    if value is None:
        return None
    date_elem = elem.find("transaction-date")
    when = (
        None
        if date_elem is None
        else _date(date_elem.get("iso-date"), ctx, "transaction-date")
    )
    sector_code = ""
    for sector in elem.iterchildren("sector"):
        vocab = (sector.get("vocabulary") or "1").strip() or "1"
        code = (sector.get("code") or "").strip()
        if vocab == "1" and _DAC5_RE.match(code):
            sector_code = code
            break
    return Transaction(type_code, when, value, sector_code)


def _location(elem: Any, ctx: _Ctx) -> Location | None:
    """Read a ``<location>`` with a point; locations without one are skipped.

    Args:
        elem: the ``<location>`` element.
        ctx: the activity context.

    Returns:
        The location, or None (warned when the coordinates are unusable).
    """
    pos = elem.find("point/pos")
    if pos is None:
        return None  # an administrative-area location without coordinates
    raw = " ".join((pos.text or "").split())
    parts = raw.split(" ")
    lat = lon = math.nan
    if len(parts) == 2:
        with contextlib.suppress(ValueError):
            lat, lon = float(parts[0]), float(parts[1])
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # NaN fails too
        ctx.warn(
            "location/point/pos",
            f"{ctx.name}: activity {ctx.identifier}: location coordinates "
            f"{raw[:60]!r} are not a valid 'lat lon' pair (lat -90..90, lon "
            "-180..180); location ignored",
        )
        return None
    exactness = elem.find("exactness")
    location_class = elem.find("location-class")
    name_elem = elem.find("name")
    return Location(
        lat=lat,
        lon=lon,
        exactness="" if exactness is None else (exactness.get("code") or "").strip(),
        location_class=""
        if location_class is None
        else (location_class.get("code") or "").strip(),
        name="" if name_elem is None else _narrative(name_elem, ctx.lang),
    )


def _participating(elem: Any, act: Activity, ctx: _Ctx) -> None:
    _participating_org(elem, act, ctx.lang)


def _activity_sector(elem: Any, act: Activity, ctx: _Ctx) -> None:
    _sector(elem, act, act.sdg_tags, ctx)


_FIELDS: dict[str, Callable[[Any, Activity, _Ctx], None]] = {
    "title": _title,
    "reporting-org": _reporting_org,
    "participating-org": _participating,
    "activity-status": _status,
    "activity-date": _activity_date,
    "recipient-country": _country,
    "recipient-region": _region,
    "sector": _activity_sector,
    "tag": _tag,
    "budget": _appending(_budget, "budgets"),
    "transaction": _appending(_transaction, "transactions"),
    "location": _appending(_location, "locations"),
}
"""Child element of <iati-activity> -> the extractor filling the `Activity`.

Elements not listed (and other namespaces) are ignored. Each extractor is
``(element, activity, context) -> None`` and warns through the context.
"""
