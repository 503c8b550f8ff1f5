"""Reads of the pipeline, one module per area; every public name is importable from here."""

from .candidates import *  # noqa: F403
from .outcomes import *  # noqa: F403
from .sent import *  # noqa: F403
