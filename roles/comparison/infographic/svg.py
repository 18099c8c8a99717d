"""SVG text and shapes for the infographic: wrapping by a character budget and escaping.

No font metrics server-side: a line gets as many characters as a generous average width
allows (DejaVu Sans, the widest common fallback, averages about 0.55 em; we budget 0.62 em),
so real fonts wrap early rather than overflow their box.
"""

from xml.sax.saxutils import escape

EM = 0.62  # budgeted average character width, in ems
LEADING = 1.4  # line height, in ems
FONT = (
    "Inter, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', "
    "sans-serif"
)
INK = "#1b1f24"
MUTED = "#4a5360"
LINE = "#d5dbe3"
TINT = "#f4f6f9"


def small(size):
    """Secondary text (labels, captions, scale words): smaller, never below 14 units, which
    the narrow layout renders at 12 px or more in a figure 310 px wide."""
    return max(14, size - 2)


def attr(value):
    return escape(str(value), {'"': "&quot;"})


def wrap(text, width, size):
    """``text`` as lines of at most ``width`` user units at font ``size`` (greedy, words
    longer than a line are cut)."""
    budget = max(4, int(width / (size * EM)))
    lines, current = [], ""
    for word in (text or "").split():
        while len(word) > budget:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:budget])
            word = word[budget:]
        if current and len(current) + 1 + len(word) <= budget:
            current += " " + word
        else:
            if current:
                lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


def height(lines, size):
    """The height a block of ``lines`` takes, from its top to below its last line."""
    return len(lines) * size * LEADING


def text(x, top, lines, size, panel, anchor="start", **attrs):
    """A wrapped block whose first line's box starts at ``top``. ``panel`` is the id of the
    panel it must stay inside (data-in-panel, measured by the browser test)."""
    extra = "".join(f' {k.replace("_", "-")}="{attr(v)}"' for k, v in attrs.items())
    step = size * LEADING
    baseline = top + size * 1.05
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else step:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{x:.1f}" y="{baseline:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'data-in-panel="{attr(panel)}"{extra}>{spans}</text>'
    )


def rect(x, y, w, h, panel=None, **attrs):
    extra = "".join(f' {k.replace("_", "-")}="{attr(v)}"' for k, v in attrs.items())
    mark = f' data-panel="{attr(panel)}"' if panel else ""
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}"{mark}{extra}/>'
