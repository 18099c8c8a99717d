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
