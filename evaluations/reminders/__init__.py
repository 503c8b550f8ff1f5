"""The assessment's reminder kinds, daily planners and digest sections, registered with the engine.

Importing this package (from `EvaluationsConfig.ready()`) imports every module; each registers
its own kinds, planners and sections.
"""

from . import certificates, digests, evaluations, reflections  # noqa: F401
