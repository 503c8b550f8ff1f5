"""Writes of the pipeline, one module per area; every public name is importable from here.

Each module lists its public names in `__all__`; the star imports below re-export them.
"""

from .access import *  # noqa: F403
from .consent import *  # noqa: F403
from .recommendations import *  # noqa: F403
from .settings import *  # noqa: F403
