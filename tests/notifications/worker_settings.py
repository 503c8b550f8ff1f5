"""Settings of a Celery worker started as a subprocess by the tests: the real settings, plus the
engine tests' own reminder kind and its templates."""

from sztu_xiaomi.settings import *  # noqa: F403
from sztu_xiaomi.settings import TEMPLATES
from tests.notifications.kind import TEMPLATES as TEST_TEMPLATES

TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], TEST_TEMPLATES]}, *TEMPLATES[1:]]
