"""Shared personas and helpers for every test."""

import os
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import AdminFactory, HRFactory, MentorFactory, StaffFactory, StudentFactory

# Where CI says the whole stack must run (browser, Redis), a missing piece fails instead of skipping.
FULL_STACK_REQUIRED = os.environ.get("REQUIRE_FULL_STACK") == "1"


def skip_or_fail(reason: str):
    if FULL_STACK_REQUIRED:
        pytest.fail(f"{reason} (REQUIRE_FULL_STACK=1: this test must run here)", pytrace=False)
    pytest.skip(reason)


# `TEST_SHANGHAI_TIME=06:00 pytest` runs the whole suite with the clock moved to that time of
# today in Shanghai (still ticking). It finds tests that depend on the hour they run at: every
# test must pass whatever the time of day, so CI also runs once at a small and a late hour.
FAKE_SHANGHAI_TIME = os.environ.get("TEST_SHANGHAI_TIME", "")


@pytest.fixture(autouse=True, scope="session")
def _time_of_day_from_the_environment():
    if not FAKE_SHANGHAI_TIME:
        yield
        return
    shanghai = ZoneInfo("Asia/Shanghai")
    day = datetime.now(shanghai).date()
    with time_machine.travel(datetime.combine(day, time.fromisoformat(FAKE_SHANGHAI_TIME), shanghai)):
        yield


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Tests read English unless they ask for Chinese; the site default stays Chinese."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def student(db):
    return StudentFactory(full_name="王小明", email="student@qq.com", language="en")


@pytest.fixture
def other_student(db):
    return StudentFactory(full_name="李思雨", email="other@163.com", language="en")


@pytest.fixture
def staff(db):
    return StaffFactory(full_name="李老师", email="staff@sztu.edu.cn", language="en")


@pytest.fixture
def mentor(db):
    return MentorFactory(user__full_name="陈志强", user__email="mentor@xiaomi.com", user__language="en").user


@pytest.fixture
def other_mentor(db):
    return MentorFactory(
        user__full_name="林晓燕", user__email="other-mentor@xiaomi.com", user__language="en"
    ).user


@pytest.fixture
def hr(db):
    return HRFactory(full_name="张经理", email="hr@xiaomi.com", language="en")


@pytest.fixture
def admin_user(db):
    return AdminFactory(full_name="管理员", email="admin@sztu.edu.cn", language="en")


@pytest.fixture
def persona(request, db):
    """Parametrise with a role name ('anonymous', 'student', ...) to get that signed-in user."""
    name = request.param
    return None if name == "anonymous" else request.getfixturevalue(name if name != "admin" else "admin_user")


@pytest.fixture
def template_languages():
    """(template name, active language) of every template rendered while the test runs."""
    from django.test.signals import template_rendered
    from django.utils import translation

    seen = []

    def record(sender, template, context, **kwargs):
        seen.append((template.name, translation.get_language()))

    template_rendered.connect(record)
    yield seen
    template_rendered.disconnect(record)
