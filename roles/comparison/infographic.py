"""The article's "Program Manager vs Project Manager" infographic, drawn from the live data.

An SVG of the published comparison: one column per role, one band per aspect. Text is wrapped
by a character budget per column (no font metrics server-side), so long statements grow their
band instead of overflowing it. Everything interpolated is XML-escaped.
"""

from xml.sax.saxutils import escape

from .palette import colour_hex

WIDTH = 1200
MARGIN = 32
LABEL_WIDTH = 200
LINE = 22  # px per line of 15px text
CHAR = 8.2  # a generous average character width for 15px sans-serif, in px


def _lines(text, width_px):
    """Greedy word wrap to a character budget. textwrap.wrap does the same but took a third
    of the module page's render time for a 60 × 10 table."""
    width = max(8, int(width_px / CHAR))
    lines, current = [], ""
    for word in text.split():
        while len(word) > width:  # a word longer than the line is cut, as textwrap does
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if current and len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            if current:
                lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


def _text(x, y, lines, **attrs):
    extra = "".join(
        f' {k.replace("_", "-")}="{escape(str(v), {chr(34): "&quot;"})}"' for k, v in attrs.items()
    )
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if i == 0 else LINE}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{y}"{extra}>{spans}</text>'


def render_svg(comparison, title):
    roles = comparison.roles
    columns = max(1, len(roles))
    col_width = (WIDTH - 2 * MARGIN - LABEL_WIDTH) / columns
    cell_width = col_width - 24
    parts = []
    y = MARGIN

    title_lines = _lines(title, WIDTH - 2 * MARGIN)
    parts.append(_text(MARGIN, y + 24, title_lines, font_size=24, font_weight="700"))
    y += 24 + LINE * len(title_lines) + 12

    # Column headers: one block per role in its own colour, its short label (the word that
    # tells the roles apart) above its full title.
    labelled = any(role.short_label for role in roles)
    header_lines = [_lines(role.heading, cell_width) for role in roles]
    header_height = 20 + LINE * (labelled + max((len(lines) for lines in header_lines), default=1))
    for i, (role, lines) in enumerate(zip(roles, header_lines, strict=True)):
        x = MARGIN + LABEL_WIDTH + i * col_width
        parts.append(
            f'<rect x="{x + 4}" y="{y}" width="{col_width - 8}" height="{header_height}" '
            f'rx="6" fill="{colour_hex(role.colour)}"/>'
        )
        if role.short_label:
            parts.append(
                _text(
                    x + 16,
                    y + 27,
                    [role.short_label.upper()],
                    font_size=14,
                    font_weight="700",
                    letter_spacing="0.08em",
                    fill="#ffffff",
                )
            )
        title_y = y + 27 + LINE * labelled
        parts.append(
            _text(x + 16, title_y, lines, font_size=16, font_weight="700", fill="#ffffff")
        )
    y += header_height + 8

    for n, row in enumerate(comparison.rows):
        cells = [_lines(c.statement or "No statement yet", cell_width) for c in row.cells]
        label = _lines(row.aspect.title, LABEL_WIDTH - 24)
        height = 20 + LINE * max([len(label), *(len(c) for c in cells)])
        fill = "#f3f5f8" if n % 2 == 0 else "#ffffff"
        parts.append(
            f'<rect x="{MARGIN}" y="{y}" width="{WIDTH - 2 * MARGIN}" height="{height}" '
            f'fill="{fill}"/>'
        )
        parts.append(_text(MARGIN + 12, y + 26, label, font_size=15, font_weight="700"))
        for i, (cell, lines) in enumerate(zip(row.cells, cells, strict=True)):
            x = MARGIN + LABEL_WIDTH + i * col_width + 16
            colour = "#1b1f24" if cell.statement else "#4a5360"
            style = {} if cell.statement else {"font_style": "italic"}
            parts.append(_text(x, y + 26, lines, font_size=15, fill=colour, **style))
        y += height
    height = y + MARGIN

    names = " and ".join(role.title for role in roles) or "no roles yet"
    aspects = ", ".join(row.aspect.title for row in comparison.rows) or "no aspects yet"
    description = f"How {names} compare on {aspects}. The same content as the table."
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="infographic-title infographic-desc" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif">'
        f'<title id="infographic-title">{escape(title)}</title>'
        f'<desc id="infographic-desc">{escape(description)}</desc>'
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>' + "".join(parts) + "</svg>"
    )
