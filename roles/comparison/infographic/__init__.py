"""The article's infographic, drawn from the live comparison: an SVG in two layouts.

``wide`` (for a slide or a desktop page) gives each role a column inside every aspect's
panel; ``narrow`` (a phone) stacks the roles under each other inside the panel. Both grow
downwards to fit however many roles (1-6) and aspects there are. Text is wrapped by a
character budget (svg.wrap), every piece of it XML-escaped, and every text element names the
panel it belongs to (data-in-panel) so a browser test can measure it stays inside.
"""

from xml.sax.saxutils import escape

from ..icons import DEFAULT_ICON
from ..palette import colour_hex
from .charts import chip, ends, icon, marker, profile, scaled, track
from .svg import FONT, INK, LINE, MUTED, TINT, attr, rect, small, text, wrap

LAYOUTS = {
    # width, margin, gap between panels, body text size, title size
    "wide": {"width": 1200, "margin": 40, "gap": 20, "size": 16, "title": 32},
    "narrow": {"width": 360, "margin": 14, "gap": 14, "size": 16, "title": 22},
}
PROFILE_MIN = 3  # scaled aspects needed before the profile chart is drawn


def title_for(roles):
    """ "A vs B", "A, B and C": the published roles' names."""
    names = [role.title for role in roles]
    if not names:
        return "The roles compared"
    if len(names) <= 2:
        return " vs ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def description(comparison):
    roles = ", ".join(role.title for role in comparison.roles) or "none yet"
    aspects = ", ".join(row.aspect.title for row in comparison.rows) or "none yet"
    return (
        f"How the roles compare. Roles: {roles}. Aspects: {aspects}. Each aspect shows every "
        "role's short phrase, and a 1 to 5 scale where the aspect is one. The table of "
        "comparison has the same content as text."
    )


def _aspect(row, roles, n, x, y, w, cfg, wide):
    panel = f"aspect-{n}"
    size = cfg["size"]
    pad = size * 1.2
    parts = []
    head_size = size + 3
    icon_size = 28 if wide else 24
    title_x = x + pad + icon_size + size * 0.7
    title = wrap(row.aspect.title, x + w - pad - title_x, head_size)
    parts.append(icon(getattr(row.aspect, "icon", DEFAULT_ICON), x + pad, y + pad, icon_size))
    parts.append(text(title_x, y + pad, title, head_size, panel, fill=INK, font_weight="700"))
    top = y + pad + max(icon_size, len(title) * head_size * 1.4)
    is_scale = scaled(row)
    if is_scale:
        low, high = ends(row)
        caption = f"{getattr(row.aspect, 'scale_label', '')}: 1 = {low}, 5 = {high}"
        lines = wrap(caption, x + w - pad - title_x, small(size))
        parts.append(text(title_x, top + 2, lines, small(size), panel, fill=MUTED))
        top += 2 + len(lines) * small(size) * 1.4
    top += size * 0.8
    columns = max(1, len(roles)) if wide else 1  # no published role: the panels stay empty
    col_gap = size * 1.2
    col_w = (w - 2 * pad - (columns - 1) * col_gap) / columns
    bottoms = []
    cy = top
    for i, (role, cell) in enumerate(zip(roles, row.cells, strict=True)):
        cx = x + pad + (i * (col_w + col_gap) if wide else 0)
        cy = top if wide else cy
        colour = colour_hex(role.colour)
        # A thin rule in the role's colour with its marker and label: who this is, in words.
        parts.append(rect(cx, cy, col_w, 3, fill=colour, rx=1.5))
        parts.append(marker(i, cx + size * 0.45, cy + size * 1.05, size * 0.42, colour))
        # Capitals with letter-spacing run wider than the budget's average: budget them 1.2x.
        label = wrap(
            (role.short_label or role.title).upper(), col_w - size * 1.4, small(size) * 1.2
        )
        parts.append(
            text(
                cx + size * 1.2,
                cy + size * 0.45,
                label,
                small(size),
                panel,
                fill=colour,
                font_weight="700",
                letter_spacing="0.06em",
            )
        )
        cy += size * 0.45 + len(label) * small(size) * 1.4 + size * 0.35
        words = cell.short if cell.statement or cell.phrase else ""
        lines = wrap(words or "No statement yet", col_w, size)
        style = {} if words else {"font_style": "italic"}
        parts.append(text(cx, cy, lines, size, panel, fill=INK if words else MUTED, **style))
        cy += len(lines) * size * 1.4 + size * 0.5
        if is_scale:
            h, drawn = track(i, role, cell.value, cx, cy, col_w, panel, size)
            parts.append(drawn)
            cy += h + size * 0.5
        bottoms.append(cy)
        cy += size * 0.6
    bottom = max(bottoms, default=top) + pad * 0.6
    box = rect(x, y, w, bottom - y, panel=panel, rx=14, fill=TINT, stroke=LINE)
    return bottom - y, box + "".join(parts)


def render_svg(comparison, layout="wide", id_prefix=None):
    """The infographic as an SVG document (a string), in the ``layout`` named."""
    cfg = LAYOUTS[layout]
    wide = layout == "wide"
    width, m, size = cfg["width"], cfg["margin"], cfg["size"]
    inner = width - 2 * m
    roles, rows = comparison.roles, comparison.rows
    prefix = id_prefix or f"infographic-{layout}"
    parts = []
    y = m

    title = title_for(roles)
    lines = wrap(title, inner, cfg["title"])
    sub = wrap(
        f"{len(roles)} role{'s' * (len(roles) != 1)} compared on {len(rows)} "
        f"aspect{'s' * (len(rows) != 1)}, drawn from the published table",
        inner,
        small(size),
    )
    h = len(lines) * cfg["title"] * 1.4 + size * 0.4 + len(sub) * small(size) * 1.4
    parts.append(rect(m, y, inner, h, panel="title", fill="none"))
    parts.append(text(m, y, lines, cfg["title"], "title", fill=INK, font_weight="800"))
    parts.append(
        text(m, y + h - len(sub) * small(size) * 1.4, sub, small(size), "title", fill=MUTED)
    )
    y += h + cfg["gap"]

    # The legend: one chip per role (colour, marker shape, label), in column order.
    per_row = len(roles) if wide else 2
    chip_gap = 12
    chip_w = (inner - (per_row - 1) * chip_gap) / max(1, per_row)
    if wide:
        chip_w = min(chip_w, 260)
    legend, heights = [], []
    for i, role in enumerate(roles):
        cx = m + (i % per_row) * (chip_w + chip_gap)
        row_top = y + sum(heights[: i // per_row]) + (i // per_row) * 10
        h, drawn = chip(i, role, cx, row_top, chip_w, "roles", small(size))
        if i % per_row == 0:
            heights.append(h)
        else:
            heights[-1] = max(heights[-1], h)
        legend.append(drawn)
    legend_h = sum(heights) + max(0, len(heights) - 1) * 10
    if roles:
        parts.append(rect(m, y, inner, legend_h, panel="roles", fill="none"))
        parts.extend(legend)
        y += legend_h + cfg["gap"]

    scales = [row for row in rows if scaled(row)]
    if len(scales) >= PROFILE_MIN:
        h, drawn = profile(comparison, scales, m, y, inner, "profile", small(size))
        parts.append(
            rect(
                m,
                y,
                inner,
                h,
                panel="profile",
                rx=14,
                fill="#ffffff",
                stroke=LINE,
                stroke_width=1.5,
            )
        )
        parts.append(drawn)
        y += h + cfg["gap"]

    for n, row in enumerate(rows):
        h, drawn = _aspect(row, roles, n, m, y, inner, cfg, wide)
        parts.append(drawn)
        y += h + cfg["gap"]
    total = round(y - cfg["gap"] + m)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total}" '
        f'width="{width}" height="{total}" role="img" data-layout="{layout}" '
        f'aria-labelledby="{attr(prefix)}-title {attr(prefix)}-desc" '
        f'font-family="{attr(FONT)}">'
        f'<title id="{attr(prefix)}-title">{escape(title)}</title>'
        f'<desc id="{attr(prefix)}-desc">{escape(description(comparison))}</desc>'
        f'<rect width="{width}" height="{total}" fill="#ffffff"/>' + "".join(parts) + "</svg>"
    )


def render_png(svg, scale=1):
    """The SVG as PNG bytes at ``scale`` times its size. resvg (the resvg-py wheel) is
    self-contained: no system Cairo to install, unlike CairoSVG. Text uses system fonts."""
    import resvg_py  # imported here: only the PNG download needs it

    return bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=scale, background="#ffffff"))
