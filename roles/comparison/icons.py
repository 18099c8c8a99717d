"""The infographic's built-in icons: an editor picks one per aspect page (AspectPage.icon).

Drawn as SVG paths here, so nothing is fetched: no icon font, no file from the internet.
"""

# name -> label shown to editors. The drawings are keyed by the same names.
ICONS = {
    "scope": "Scope (concentric circles)",
    "responsibilities": "Responsibilities (checklist)",
    "focus": "Focus (target)",
    "time": "Time horizon (clock)",
    "skills": "Skills (toolbox)",
    "outcome": "Outcome (flag)",
    "people": "People (group)",
    "strategy": "Strategy (map)",
    "risk": "Risk (warning sign)",
    "budget": "Budget (coins)",
    "communication": "Communication (speech bubbles)",
    "delivery": "Delivery (box)",
    "metrics": "Metrics (bar chart)",
    "general": "General (dot)",
}
ICON_CHOICES = list(ICONS.items())
DEFAULT_ICON = "general"

# The drawings: stroke-only paths on a 24 x 24 grid, drawn in the ink colour by the caller
# (charts.icon sets stroke, no fill), so they read as one family of line icons.
DRAWINGS = {
    "scope": '<circle cx="12" cy="12" r="9"/><circle cx="12" cy="12" r="5.5"/>'
    '<circle cx="12" cy="12" r="2"/>',
    "responsibilities": '<rect x="4" y="3" width="16" height="18" rx="2"/>'
    '<path d="M8 8l1.5 1.5L12 7M8 13l1.5 1.5L12 12M14 8.5h3M14 13.5h3M8 18h9"/>',
    "focus": '<circle cx="12" cy="12" r="9"/><circle cx="12" cy="12" r="5"/>'
    '<path d="M12 12l7-7M16 5h3v3"/>',
    "time": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3.5 2"/>',
    "skills": '<rect x="3" y="8" width="18" height="12" rx="2"/>'
    '<path d="M9 8V5.5A1.5 1.5 0 0 1 10.5 4h3A1.5 1.5 0 0 1 15 5.5V8M3 13h18M10 13v2h4v-2"/>',
    "outcome": '<path d="M5 21V4M5 4h11l-2 4 2 4H5"/>',
    "people": '<circle cx="9" cy="8" r="3"/><path d="M3.5 19a5.5 5.5 0 0 1 11 0"/>'
    '<circle cx="17" cy="9" r="2.5"/><path d="M15.5 14.2A4.5 4.5 0 0 1 21 18.5"/>',
    "strategy": '<path d="M3 6l6-2 6 2 6-2v14l-6 2-6-2-6 2zM9 4v14M15 6v14"/>',
    "risk": '<path d="M12 3.5L2.5 20h19z"/><path d="M12 10v4.5M12 17.3v.2"/>',
    "budget": '<ellipse cx="12" cy="6.5" rx="7" ry="2.5"/>'
    '<path d="M5 6.5v5c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5v-5M5 11.5v5c0 1.4 3.1 2.5 7 2.5'
    's7-1.1 7-2.5v-5"/>',
    "communication": '<path d="M3 5h12v8H8l-3 3v-3H3z"/><path d="M17 9h4v8h-2v3l-3-3h-5v-2"/>',
    "delivery": '<path d="M12 3l8 4.5v9L12 21l-8-4.5v-9z"/><path d="M4 7.5l8 4.5 8-4.5M12 12v9"/>',
    "metrics": '<path d="M4 20h16"/><path d="M7 20v-6M12 20V8M17 20v-10"/>',
    "general": '<circle cx="12" cy="12" r="8"/><circle cx="12" cy="12" r="2.5"/>',
}
