"""The colours a role may wear (chips, the infographic's column headers), defined once.

Each takes white text at WCAG AA or better (at least 6:1 on white and on the page tint), and
they differ in hue as well as lightness. Colour is never the only cue: a chip always shows
the role's short label in words.
"""

# key: (name an editor picks, hex). The keys are stored on RolePage.colour and used as CSS
# modifiers (role-chip--blue), so they must stay stable.
ROLE_COLOURS = {
    "blue": ("Blue", "#0b5cad"),
    "orange": ("Orange", "#a13d00"),
    "green": ("Green", "#1f6f43"),
    "purple": ("Purple", "#6b2d8f"),
    "rose": ("Rose", "#a11f4c"),
    "teal": ("Teal", "#00646f"),
}
COLOUR_CHOICES = [(key, name) for key, (name, _hex) in ROLE_COLOURS.items()]
NEUTRAL = "#4a5360"  # a role without a colour: the site's muted ink


def colour_hex(key):
    """The hex value of a palette key, or the neutral colour for none or an unknown key."""
    return ROLE_COLOURS.get(key, (None, NEUTRAL))[1]
