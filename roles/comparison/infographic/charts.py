"""The infographic's pictures: role markers, a 1-5 scale track, the profile chart.

Each role has a marker shape as well as a colour (circle, square, triangle...), so the roles
are told apart in grey print and by readers who do not see the colours.
"""

from ..icons import DEFAULT_ICON, DRAWINGS
from ..palette import colour_hex
from .svg import INK, LINE, MUTED, rect, small, text, wrap

SHAPES = ["circle", "square", "triangle", "diamond", "down", "hexagon"]
SCALE = range(1, 6)


def marker(index, cx, cy, r, fill, stroke="#ffffff"):
    """Role number ``index``'s marker shape, centred on (cx, cy)."""
    shape = SHAPES[index % len(SHAPES)]
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"'
    if shape == "circle":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" {paint}/>'
    if shape == "square":
        s = r * 0.9
        corner = f'x="{cx - s:.1f}" y="{cy - s:.1f}"'
        return f'<rect {corner} width="{2 * s:.1f}" height="{2 * s:.1f}" {paint}/>'
    points = {
        "triangle": [(0, -1.1), (1, 0.75), (-1, 0.75)],
        "diamond": [(0, -1.15), (1.15, 0), (0, 1.15), (-1.15, 0)],
        "down": [(0, 1.1), (1, -0.75), (-1, -0.75)],
        "hexagon": [(1, 0), (0.5, 0.87), (-0.5, 0.87), (-1, 0), (-0.5, -0.87), (0.5, -0.87)],
    }[shape]
    pts = " ".join(f"{cx + dx * r:.1f},{cy + dy * r:.1f}" for dx, dy in points)
    return f'<polygon points="{pts}" {paint}/>'


def icon(name, x, y, size, colour=INK):
    """An aspect's line drawing (24 x 24 grid) scaled to ``size`` at (x, y)."""
    drawing = DRAWINGS.get(name) or DRAWINGS[DEFAULT_ICON]
    return (
        f'<g transform="translate({x:.1f} {y:.1f}) scale({size / 24:.3f})" fill="none" '
        f'stroke="{colour}" stroke-width="1.8" stroke-linecap="round" '
        f'stroke-linejoin="round" aria-hidden="true">{drawing}</g>'
    )


def chip(index, role, x, y, w, panel, size):
    """A role's chip: its colour, its marker and its short label (or title) in words."""
    label = role.short_label or role.title
    lines = wrap(label, w - size * 2.6, size)
    h = max(size * 2.2, len(lines) * size * 1.4 + size * 0.8)
    colour = colour_hex(role.colour)
    return h, "".join(
        [
            rect(x, y, w, h, rx=h / 2 if len(lines) == 1 else 10, fill=colour),
            marker(index, x + size * 1.2, y + h / 2, size * 0.42, "#ffffff", stroke=colour),
            text(
                x + size * 2.1,
                y + (h - len(lines) * size * 1.4) / 2 - size * 0.05,
                lines,
                size,
                panel,
                fill="#ffffff",
                font_weight="700",
            ),
        ]
    )


def track(index, role, value, x, y, w, panel, size):
    """Five dots, the first ``value`` filled in the role's colour, then "n of 5" in words.
    Returns (height, svg)."""
    colour = colour_hex(role.colour)
    r = min(size * 0.5, (w - size * 4) / 14)
    gap = r * 2.8
    parts = []
    for n in SCALE:
        cx = x + r + (n - 1) * gap
        filled = value is not None and n <= value
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{y + r:.1f}" r="{r:.1f}" '
            f'fill="{colour if filled else "#ffffff"}" stroke="{colour if filled else LINE}" '
            'stroke-width="1.5"/>'
        )
    words = f"{value} of 5" if value else "no value"
    parts.append(
        text(
            x + 4 * gap + 2 * r + size * 0.5,
            y + r - size * 0.6,
            [words],
            small(size),
            panel,
            fill=MUTED,
        )
    )
    return 2 * r + 4, "".join(parts)


def scaled(row):
    """Is the aspect a scale worth drawing: a label and at least one value?"""
    return bool(getattr(row.aspect, "scale_label", "")) and any(
        cell.value is not None for cell in row.cells
    )


def ends(row):
    return getattr(row.aspect, "scale_low", "") or "low", getattr(
        row.aspect, "scale_high", ""
    ) or "high"


def profile(comparison, rows, x, y, w, panel, size):
    """A dot plot: one line per scaled aspect, one marker per role at its value. Returns
    (height, svg)."""
    parts = []
    head = wrap("Profile: where each role sits on every scale", w - 2 * size, size + 2)
    parts.append(text(x + size, y + size, head, size + 2, panel, fill=INK, font_weight="700"))
    top = y + size * 1.8 + len(head) * (size + 2) * 1.4
    label_w = min(w * 0.3, 260) if w > 600 else w - 2 * size
    stacked = w <= 600
    line_x = x + size + (0 if stacked else label_w + size)
    line_w = x + w - size * 1.5 - line_x
    roles = comparison.roles
    for row in rows:
        label = wrap(row.aspect.title, label_w - size, size)
        parts.append(text(x + size, top, label, size, panel, fill=INK, font_weight="600"))
        block = len(label) * size * 1.4
        line_y = (top + block + size * 0.9) if stacked else (top + size * 0.8)
        parts.append(
            f'<line x1="{line_x:.1f}" y1="{line_y:.1f}" x2="{line_x + line_w:.1f}" '
            f'y2="{line_y:.1f}" stroke="{LINE}" stroke-width="3" stroke-linecap="round"/>'
        )
        for n in SCALE:
            tx = line_x + (n - 1) * line_w / 4
            parts.append(f'<circle cx="{tx:.1f}" cy="{line_y:.1f}" r="2.5" fill="{MUTED}"/>')
        low, high = ends(row)
        half = line_w / 2 - size
        low_l, high_l = wrap(low, half, small(size)), wrap(high, half, small(size))
        parts.append(text(line_x, line_y + size * 0.9, low_l, small(size), panel, fill=MUTED))
        parts.append(
            text(
                line_x + line_w,
                line_y + size * 0.9,
                high_l,
                small(size),
                panel,
                anchor="end",
                fill=MUTED,
            )
        )
        for i, (role, cell) in enumerate(zip(roles, row.cells, strict=True)):
            if cell.value is None:
                continue
            same = [j for j, c in enumerate(row.cells) if c.value == cell.value]
            shift = (same.index(i) - (len(same) - 1) / 2) * size * 0.9
            cx = line_x + (cell.value - 1) * line_w / 4 + shift
            parts.append(marker(i, cx, line_y, size * 0.5, colour_hex(role.colour)))
        ends_h = max(len(low_l), len(high_l)) * small(size) * 1.4
        bottom = line_y + size * 0.9 + ends_h
        top = max(bottom, top + block) + size * 0.9
    return top - y + size * 0.3, "".join(parts)
