"""Write a Pack as a PDF (fpdf2): one 16:9 page per slide, the same content.

Text is real text in an embedded Unicode font (DejaVu Sans or Liberation Sans
when installed; else the core Helvetica with the text reduced to Latin-1). Every
text block is measured before drawing and cut with "…" to the lines it has room
for, so nothing runs off the page.
"""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from src.briefing.charts import png_size
from src.briefing.pack import Pack, Slide, Table
from src.briefing.text import ELLIPSIS, clean, truncate

W, H = 960.0, 540.0  # points: 13.33 × 7.5 in, as the deck
MARGIN = 36.0
INNER = W - 2 * MARGIN
BODY_TOP = 104.0
BODY_BOTTOM = 493.0
DARK = (31, 42, 68)
MUTED = (90, 100, 120)
ACCENT = (0, 105, 168)
_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/TTF"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)
_FONT_FILES = (
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("arial.ttf", "arialbd.ttf"),
)


def find_font() -> tuple[Path, Path] | None:
    """(regular, bold) TrueType files of a Unicode sans-serif font, if installed."""
    for folder in _FONT_DIRS:
        for regular, bold in _FONT_FILES:
            if (folder / regular).exists() and (folder / bold).exists():
                return folder / regular, folder / bold
    return None


class _Doc(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="L", unit="pt", format=(H, W))
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        font = find_font()
        self.unicode = font is not None
        if font is not None:
            self.add_font("Sans", "", str(font[0]))
            self.add_font("Sans", "B", str(font[1]))
            self.family = "Sans"
        else:
            self.family = "helvetica"

    def text_safe(self, text: str) -> str:
        text = clean(text)
        if self.unicode:
            return text
        swaps = {"\u202f": "\xa0", "\u2009": " ", "…": "...", "–": "-", "≥": ">="}
        for old, new in swaps.items():
            text = text.replace(old, new)
        return text.encode("latin-1", "replace").decode("latin-1")

    def block(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        lines: tuple[str, ...] | list[str],
        *,
        size: float,
        bold: bool = False,
        color: tuple[int, int, int] = DARK,
        align: str = "L",
        gap: float = 0.0,
    ) -> float:
        """Draw paragraphs in the box, cutting the last one that does not fit."""
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*color)
        line_h = size * 1.25
        y0 = y
        for raw in lines:
            room = int((y0 + h - y) // line_h)
            if room < 1:
                break
            text = self.text_safe(raw)
            wrapped = self.multi_cell(
                w, line_h, text, dry_run=True, output="LINES", align=align
            )
            if len(wrapped) > room:
                kept = " ".join(wrapped[:room])
                text = self.text_safe(truncate(kept, max(2, len(kept) - 2)))
                if not text.endswith((ELLIPSIS, "...")):
                    text += ELLIPSIS if self.unicode else "..."
            self.set_xy(x, y)
            self.multi_cell(
                w,
                line_h,
                text,
                align=align,
                new_x=XPos.LEFT,
                new_y=YPos.NEXT,
                max_line_height=line_h,
            )
            y = self.get_y() + gap
        return y

    def picture(self, png: bytes, box: tuple[float, float, float, float], alt: str):
        x, y, w, h = box
        px_w, px_h = png_size(png)
        scale = min(w / px_w, h / px_h)
        iw, ih = px_w * scale, px_h * scale
        self.image(
            io.BytesIO(png),
            x=x + (w - iw) / 2,
            y=y + (h - ih) / 2,
            w=iw,
            h=ih,
            alt_text=self.text_safe(truncate(alt, 500)),
        )

    def grid(self, table: Table, x: float, y: float, w: float, *, size: float):
        self.set_font(self.family, "", size)
        self.set_text_color(*DARK)
        self.set_draw_color(200, 212, 224)
        self.set_xy(x, y)
        n = len(table.columns)
        first = 0.34 if n > 4 else 0.31
        rest = (1 - first) / max(n - 1, 1)
        widths = [w * (first if j == 0 else rest) for j in range(n)]
        with self.table(
            col_widths=widths,
            width=w,
            align="LEFT",
            line_height=size * 1.3,
            first_row_as_headings=True,
            headings_style=FontFace(emphasis="BOLD", fill_color=(242, 246, 250)),
            text_align="LEFT",
        ) as grid:
            for row in (table.columns, *table.rows):
                cells = grid.row()
                for value in row:
                    cells.cell(self.text_safe(truncate(value, 80) if value else ""))


def _page(doc: _Doc, pack: Pack, content: Slide, number: int, total: int) -> None:
    doc.add_page()
    if content.kind == "title":
        doc.set_fill_color(*ACCENT)
        doc.rect(0, 0, W, 18, style="F")
        doc.block(MARGIN, 70, INNER, 110, [content.title], size=30, bold=True)
        doc.block(MARGIN, 200, INNER, 280, content.lines, size=14, color=MUTED, gap=6)
    else:
        doc.block(MARGIN, 28, INNER, 70, [content.title], size=22, bold=True)
        _BODY[content.kind](doc, content)
    doc.block(MARGIN, 505, INNER - 70, 28, [pack.footer], size=8, color=MUTED)
    doc.block(
        W - MARGIN - 60,
        505,
        60,
        14,
        [f"{number} / {total}"],
        size=8,
        color=MUTED,
        align="R",
    )


def _kpis(doc: _Doc, content: Slide) -> None:
    gap = 18.0
    card_w = (INNER - 3 * gap) / 4
    card_h = 158.0
    for i, (label, value) in enumerate(content.kpis):
        row, col = divmod(i, 4)
        x = MARGIN + col * (card_w + gap)
        y = BODY_TOP + 14 + row * (card_h + gap)
        doc.set_fill_color(242, 246, 250)
        doc.set_draw_color(200, 212, 224)
        doc.rect(x, y, card_w, card_h, style="DF")
        doc.block(x + 11, y + 11, card_w - 22, 44, [label], size=13, color=MUTED)
        doc.block(
            x + 11, y + 66, card_w - 22, 70, [value], size=23, bold=True, color=ACCENT
        )


def _chart(doc: _Doc, content: Slide) -> None:
    side = 252.0
    if content.image is not None:
        box = (MARGIN, BODY_TOP, INNER - side - 14, BODY_BOTTOM - BODY_TOP)
        doc.picture(content.image, box, content.image_alt)
    doc.block(
        W - MARGIN - side,
        BODY_TOP,
        side,
        BODY_BOTTOM - BODY_TOP,
        content.lines[:12],
        size=10,
        gap=3,
    )


def _table(doc: _Doc, content: Slide) -> None:
    doc.block(MARGIN, 90, INNER, 22, content.lines[:1], size=10, color=MUTED)
    if content.table is not None:
        doc.grid(content.table, MARGIN, 118, INNER, size=8.5)


def _scenario(doc: _Doc, content: Slide) -> None:
    doc.block(MARGIN, 90, INNER, 66, content.lines[:1], size=12)
    top, left_w = 166.0, 497.0
    if content.table is not None:
        doc.grid(content.table, MARGIN, top, left_w, size=9)
    if content.image is not None:
        box = (MARGIN + left_w + 14, top, INNER - left_w - 14, BODY_BOTTOM - top)
        doc.picture(content.image, box, content.image_alt)


def _methods(doc: _Doc, content: Slide) -> None:
    size = 10.5 if sum(len(x) for x in content.lines) < 2200 else 9
    doc.block(
        MARGIN,
        BODY_TOP - 8,
        INNER,
        BODY_BOTTOM - BODY_TOP,
        [f"• {line}" for line in content.lines[:12]],
        size=size,
        gap=5,
    )


_BODY = {
    "kpis": _kpis,
    "chart": _chart,
    "table": _table,
    "scenario": _scenario,
    "methods": _methods,
}


def to_pdf(pack: Pack) -> bytes:
    """The pack as PDF bytes (one page per Slide)."""
    doc = _Doc()
    doc.set_title(doc.text_safe(pack.title))
    doc.set_lang(pack.lang)
    doc.set_creator("portfolio-dashboard briefing")
    total = len(pack.slides)
    for number, content in enumerate(pack.slides, start=1):
        _page(doc, pack, content, number, total)
    return bytes(doc.output())
