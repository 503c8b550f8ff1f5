"""Reads of the pipeline, one module per area; every public name is importable from here.

Each module lists its public names in `__all__`; the star imports below re-export them.
"""

from .board import *  # noqa: F403
from .candidates import *  # noqa: F403
from .outcomes import *  # noqa: F403
from .sent import *  # noqa: F403
