"""Write a Pack as a PowerPoint deck (python-pptx), 16:9, text as real text.

Every text box has a fixed size with word wrap and no auto-fit, and its text is
truncated beforehand (with "…") to what fits, so nothing runs off the slide.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from src.briefing.charts import png_size
from src.briefing.pack import Pack, Slide, Table
from src.briefing.text import truncate
from src.i18n import translate

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
INNER = WIDTH - 2 * MARGIN
BODY_TOP = Inches(1.45)
BODY_BOTTOM = Inches(6.85)
DARK = RGBColor(0x1F, 0x2A, 0x44)
MUTED = RGBColor(0x5A, 0x64, 0x78)
ACCENT = RGBColor(0x00, 0x69, 0xA8)
# Character budgets for each box (about 0.5 em per character, wrapped lines).
TITLE_CHARS = 60
COVER_TITLE_CHARS = 90
FOOTER_CHARS = 170
LINE_CHARS = 300


def add_text(
    slide,
    box: tuple[int, int, int, int],
    lines: list[str] | tuple[str, ...],
    *,
    size: int,
    limit: int,
    bold: bool = False,
    color: RGBColor = DARK,
    align: PP_ALIGN = PP_ALIGN.LEFT,
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
    space: int = 0,
):
    """A fixed-size, word-wrapped text box, one paragraph per (truncated) line."""
    shape = slide.shapes.add_textbox(*box)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = align
        para.space_after = Pt(space)
        run = para.add_run()
        run.text = truncate(line, limit) if line else ""
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = color
    return shape


def _title(slide, text: str) -> None:
    add_text(
        slide,
        (MARGIN, Inches(0.3), INNER, Inches(1.0)),
        [text],
        size=28,
        limit=TITLE_CHARS,
        bold=True,
        anchor=MSO_ANCHOR.MIDDLE,
    )


def _footer(slide, pack: Pack, number: int, total: int) -> None:
    add_text(
        slide,
        (MARGIN, Inches(6.95), INNER - Inches(1.0), Inches(0.4)),
        [pack.footer],
        size=10,
        limit=FOOTER_CHARS,
        color=MUTED,
    )
    add_text(
        slide,
        (WIDTH - MARGIN - Inches(1.0), Inches(6.95), Inches(1.0), Inches(0.4)),
        [f"{number} / {total}"],
        size=10,
        limit=12,
        color=MUTED,
        align=PP_ALIGN.RIGHT,
    )


def add_picture(slide, png: bytes, box: tuple[int, int, int, int], alt: str) -> None:
    """A PNG scaled to fit inside `box` (aspect kept), centred, with alt text."""
    left, top, width, height = box
    px_w, px_h = png_size(png)
    scale = min(width / px_w, height / px_h)
    w, h = int(px_w * scale), int(px_h * scale)
    pic = slide.shapes.add_picture(
        io.BytesIO(png),
        Emu(left + (width - w) // 2),
        Emu(top + (height - h) // 2),
        Emu(w),
        Emu(h),
    )
    pic._element.nvPicPr.cNvPr.set("descr", truncate(alt, 1000))


def add_table(
    slide, table: Table, box: tuple[int, int, int, int], *, size: int, first: float
) -> None:
    """A table whose first column takes share `first` of the width."""
    left, top, width, height = box
    n_rows, n_cols = len(table.rows) + 1, len(table.columns)
    shape = slide.shapes.add_table(
        n_rows, n_cols, left, top, width, min(height, Inches(0.38) * n_rows)
    )
    grid = shape.table
    rest = (1 - first) / max(n_cols - 1, 1)
    for j in range(n_cols):
        grid.columns[j].width = Emu(int(width * (first if j == 0 else rest)))
    for i, row in enumerate([table.columns, *table.rows]):
        for j, value in enumerate(row):
            cell = grid.cell(i, j)
            cell.text = ""
            run = cell.text_frame.paragraphs[0].add_run()
            run.text = truncate(value, 80) if value else ""
            run.font.size = Pt(size)
            run.font.bold = i == 0
            cell.margin_top = cell.margin_bottom = Inches(0.03)


def _cover(slide, pack: Pack, content: Slide) -> None:
    band = slide.shapes.add_shape(1, 0, 0, WIDTH, Inches(0.25))
    band.fill.solid()
    band.fill.fore_color.rgb = ACCENT
    band.line.fill.background()
    add_text(
        slide,
        (MARGIN, Inches(0.8), INNER, Inches(1.6)),
        [content.title],
        size=36,
        limit=COVER_TITLE_CHARS,
        bold=True,
        anchor=MSO_ANCHOR.BOTTOM,
    )
    add_text(
        slide,
        (MARGIN, Inches(2.7), INNER, Inches(4.3)),
        content.lines,
        size=16,
        limit=220,
        color=MUTED,
        space=8,
    )


def _kpis(slide, content: Slide) -> None:
    gap = Inches(0.25)
    card_w = (INNER - 3 * gap) // 4
    card_h = Inches(2.2)
    for i, (label, value) in enumerate(content.kpis):
        row, col = divmod(i, 4)
        left = MARGIN + col * (card_w + gap)
        top = BODY_TOP + Inches(0.2) + row * (card_h + gap)
        card = slide.shapes.add_shape(1, left, top, card_w, card_h)
        card.fill.solid()
        card.fill.fore_color.rgb = RGBColor(0xF2, 0xF6, 0xFA)
        card.line.color.rgb = RGBColor(0xC8, 0xD4, 0xE0)
        pad = Inches(0.15)
        add_text(
            slide,
            (left + pad, top + pad, card_w - 2 * pad, Inches(0.7)),
            [label],
            size=16,
            limit=40,
            color=MUTED,
        )
        add_text(
            slide,
            (left + pad, top + Inches(0.9), card_w - 2 * pad, Inches(1.1)),
            [value],
            size=28,
            limit=18,
            bold=True,
            color=ACCENT,
        )


def _chart(slide, content: Slide) -> None:
    body_h = BODY_BOTTOM - BODY_TOP
    side = Inches(3.5)
    if content.image is not None:
        add_picture(
            slide,
            content.image,
            (MARGIN, BODY_TOP, INNER - side - Inches(0.2), body_h),
            content.image_alt,
        )
    add_text(
        slide,
        (WIDTH - MARGIN - side, BODY_TOP, side, body_h),
        content.lines[:12],
        size=12,
        limit=90,
        space=4,
    )


def _table(slide, content: Slide) -> None:
    add_text(
        slide,
        (MARGIN, Inches(1.25), INNER, Inches(0.4)),
        content.lines[:1],
        size=12,
        limit=180,
        color=MUTED,
    )
    if content.table is not None:
        add_table(
            slide,
            content.table,
            (MARGIN, Inches(1.7), INNER, BODY_BOTTOM - Inches(1.7)),
            size=10,
            first=0.34,
        )


def _scenario(slide, content: Slide) -> None:
    add_text(
        slide,
        (MARGIN, Inches(1.25), INNER, Inches(0.95)),
        content.lines[:1],
        size=14,
        limit=LINE_CHARS,
    )
    top = Inches(2.3)
    left_w = Inches(6.9)
    if content.table is not None:
        add_table(
            slide,
            content.table,
            (MARGIN, top, left_w, BODY_BOTTOM - top),
            size=11,
            first=0.31,
        )
    if content.image is not None:
        add_picture(
            slide,
            content.image,
            (
                MARGIN + left_w + Inches(0.2),
                top,
                INNER - left_w - Inches(0.2),
                BODY_BOTTOM - top,
            ),
            content.image_alt,
        )


def _methods(slide, content: Slide) -> None:
    size = 12 if sum(len(x) for x in content.lines) < 2200 else 10
    add_text(
        slide,
        (MARGIN, BODY_TOP - Inches(0.1), INNER, BODY_BOTTOM - BODY_TOP),
        [f"• {line}" for line in content.lines[:12]],
        size=size,
        limit=420,
        space=6,
    )


_DRAW = {
    "kpis": _kpis,
    "chart": _chart,
    "table": _table,
    "scenario": _scenario,
    "methods": _methods,
}


def to_pptx(pack: Pack) -> bytes:
    """The pack as .pptx bytes (one slide per Slide)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    blank = prs.slide_layouts[6]
    prs.core_properties.title = pack.title
    prs.core_properties.language = pack.lang
    prs.core_properties.subject = translate("brief.title_default", pack.lang)
    total = len(pack.slides)
    for number, content in enumerate(pack.slides, start=1):
        slide = prs.slides.add_slide(blank)
        if content.kind == "title":
            _cover(slide, pack, content)
        else:
            _title(slide, content.title)
            _DRAW[content.kind](slide, content)
        _footer(slide, pack, number, total)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
