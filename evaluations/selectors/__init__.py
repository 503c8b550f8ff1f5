"""Reads of the assessment, one module per area; every public name is importable from here.

Each module lists its public names in `__all__`; the star imports below re-export them.
"""

from .assessment import *  # noqa: F403
from .certificates import *  # noqa: F403
from .evaluations import *  # noqa: F403
from .outstanding import *  # noqa: F403
from .overview import *  # noqa: F403
from .reflections import *  # noqa: F403
from .results import *  # noqa: F403
from .rubrics import *  # noqa: F403
from .schedule import *  # noqa: F403
