"""One visual language for states: each app maps its TextChoices to a tone, once.

Templates then write `{% status_badge application "status" %}` (or `{{ mark|tone_of:record }}`)
instead of repeating `{% if status == ... %}text-bg-success{% elif ... %}` in every page.
"""

from django.db import models

# Bootstrap's contextual colours, by meaning: done/good, needs attention, went wrong, in motion, neutral.
TONES = {"success", "warning", "danger", "primary", "info", "secondary", "light"}

_TONES: dict[tuple[type, str], dict[str, str]] = {}


def register_tones(model: type, field: str, choices: type[models.TextChoices], tones: dict[str, str]) -> None:
    """The tone of every value of `model.field` (its values are `choices`); all of them, or none."""
    missing = set(choices.values) - set(tones)
    unknown = set(tones) - set(choices.values)
    wrong = {tone for tone in tones.values() if tone not in TONES}
    if missing or unknown or wrong:
        raise ValueError(
            f"tones of {model.__name__}.{field}: missing {missing}, unknown {unknown}, bad {wrong}"
        )
    _TONES[(model, field)] = {str(value): tone for value, tone in tones.items()}


def tone(obj, field: str) -> str:
    """The tone of `obj.field`'s current value ("secondary" for a model nobody registered)."""
    for klass in type(obj).__mro__:
        tones = _TONES.get((klass, field))
        if tones is not None:
            return tones.get(str(getattr(obj, field)), "secondary")
    return "secondary"


def registered() -> dict[tuple[type, str], dict[str, str]]:
    return dict(_TONES)
