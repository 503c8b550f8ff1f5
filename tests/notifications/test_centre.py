"""The notification centre: the bell, the list, opening and reading, and each person's settings."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from notifications import kinds, services
from notifications.kinds import Kind
from notifications.models import Notification, NotificationPreference, Reminder
from tests.factories import MentorUserFactory, NotificationFactory
from tests.notifications.kind import TEST_KIND

# The same bound whatever the number of notifications: no query per row.
LIST_QUERY_BOUND = 5
PREFERENCES_QUERY_BOUND = 4


def bell(html: str) -> str:
    """The markup inside the bell in the navigation bar."""
    match = re.search(r'<a class="[^"]*\bnotification-bell\b[^"]*"[^>]*>(.*?)</a>', html, re.DOTALL)
    assert match, "no bell in the navigation bar"
    return " ".join(match.group(1).split())


def page(client, url_name, *args) -> str:
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def a_mentor():
    return MentorUserFactory(full_name="陈志强", email="chen@xiaomi.com", language="en")


def plan_due_notice(user, kind=None):
    """A notice due a minute ago (its on-commit kick is dropped with the test's transaction; the
    tests deliver by calling the sender directly)."""
    return services.reminder_plan(
        recipient=user,
        kind=kind or ROLE_KINDS[Role.MENTOR],
        about=user,
        due_at=timezone.now() - timedelta(minutes=1),
        context={"note": "Your certification expires in 10 days."},
    )


# The settings tests' own kinds, one per role's settings page: the engine needs none of the
# programme's kinds (those are tested with the apps that register them).
ROLE_KINDS = {role: f"test_{role}_notice" for role in (Role.STUDENT, Role.MENTOR, Role.STAFF, Role.HR)}


@pytest.fixture(autouse=True)
def role_kinds():
    registered = [
        kinds.register(
            Kind(
                key=key,
                label=f"A test notice for the {role} role",
                template=TEST_KIND.template,
                audience=(role,),
                context=TEST_KIND.context,
                link=lambda reminder: "/notifications/",
            )
        )
        for role, key in ROLE_KINDS.items()
    ]
    yield registered
    for kind in registered:
        kinds._REGISTRY.pop(kind.key, None)


@pytest.fixture
def browser(db):
    """A client that checks CSRF tokens, so a form is posted exactly as a browser posts it."""
    return Client(enforce_csrf_checks=True)


def submit_preferences(browser, **ticked):
    """Open the settings page and submit it with the given boxes ticked (all others unticked)."""
    form_page = browser.get(reverse("notifications:preferences"))
    assert form_page.status_code == 200
    data = {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value}
    data.update({key: "on" for key, on in ticked.items() if on})
    return browser.post(reverse("notifications:preferences"), data)


@pytest.fixture
def essential_kind():
    """A test-only essential kind for mentors."""
    kind = kinds.register(
        Kind(
            key="test_essential",
            label="Test essential",
            template=TEST_KIND.template,
            essential=True,
            audience=(Role.MENTOR,),
            context=TEST_KIND.context,
            link=lambda reminder: "/notifications/",
        )
    )
    yield kind
    kinds._REGISTRY.pop("test_essential", None)


# --- The bell -----------------------------------------------------------------------------------


def test_the_bell_shows_how_many_notifications_are_unread(client, student, other_student):
    NotificationFactory.create_batch(3, user=student)
    NotificationFactory(user=student, read_at=timezone.now())
    NotificationFactory.create_batch(5, user=other_student)
    client.force_login(student)

    shown = bell(page(client, "notifications:preferences"))

    assert re.search(r'<span class="badge[^"]*">3</span>', shown)
    assert '<span class="visually-hidden">3 unread notifications</span>' in shown


def test_the_bell_count_disappears_once_everything_is_read(client, student):
    NotificationFactory.create_batch(2, user=student)
    client.force_login(student)
    assert re.search(r'<span class="badge[^"]*">2</span>', bell(page(client, "notifications:preferences")))

    client.post(reverse("notifications:read_all"))

    shown = bell(page(client, "notifications:preferences"))
    assert 'class="badge' not in shown
    assert "unread notifications" not in shown
    assert '<span class="visually-hidden">Notifications, none unread</span>' in shown


# --- The list, opening, reading -----------------------------------------------------------------


def test_the_list_shows_only_the_signed_in_persons_notifications(client, student, other_student):
    NotificationFactory(user=student, title="Your application was received")
    NotificationFactory(user=student, title="Your placement starts on Monday", read_at=timezone.now())
    NotificationFactory(user=other_student, title="Someone else's interview is tomorrow")
    client.force_login(student)

    html = page(client, "notifications:list")

    assert "Your application was received" in html
    assert "Your placement starts on Monday" in html
    assert "Someone else" not in html
    assert html.count("Open and mark read") == 1  # only the unread one


def test_a_person_without_notifications_is_told_where_they_will_appear(client, student, other_student):
    NotificationFactory(user=other_student)
    client.force_login(student)

    html = page(client, "notifications:list")

    assert "No notifications yet." in html
    assert "Mark all as read" not in html


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, student):
    notification = NotificationFactory(user=student, link="/student/")
    client.force_login(student)

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/student/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("link", ["", "https://evil.example/", "//evil.example/"])
def test_opening_a_notification_without_a_site_link_leads_back_to_the_list(client, student, link):
    notification = NotificationFactory(user=student, link=link)
    client.force_login(student)

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_again_keeps_the_first_read_time(client, student):
    first_read = timezone.now() - timedelta(days=2)
    notification = NotificationFactory(user=student, read_at=first_read)
    client.force_login(student)

    client.post(reverse("notifications:open", args=[notification.pk]))

    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_opening_someone_elses_notification_is_not_found(client, student, other_student):
    theirs = NotificationFactory(user=other_student)
    client.force_login(student)

    response = client.post(reverse("notifications:open", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notification_cannot_be_opened_with_get(client, student):
    notification = NotificationFactory(user=student)
    client.force_login(student)

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_as_read_reads_only_the_signed_in_persons_notifications(client, student, other_student):
    earlier = timezone.now() - timedelta(days=1)
    mine = NotificationFactory.create_batch(3, user=student)
    already_read = NotificationFactory(user=student, read_at=earlier)
    theirs = NotificationFactory.create_batch(2, user=other_student)
    client.force_login(student)

    response = client.post(reverse("notifications:read_all"), follow=True)

    assert response.redirect_chain == [(reverse("notifications:list"), 302)]
    assert "All notifications are marked as read." in response.content.decode()
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).exists()
    already_read.refresh_from_db()
    assert already_read.read_at == earlier
    assert Notification.objects.filter(pk__in=[n.pk for n in theirs], read_at__isnull=True).count() == 2


def test_mark_all_as_read_cannot_be_done_with_get(client, student):
    NotificationFactory(user=student)
    client.force_login(student)

    response = client.get(reverse("notifications:read_all"))

    assert response.status_code == 405
    assert Notification.objects.filter(user=student, read_at__isnull=True).count() == 1


# --- Settings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, shown, hidden",
    [
        ("mentor", "test_mentor_notice", ["test_staff_notice", "test_hr_notice", "test_student_notice"]),
        ("staff", "test_staff_notice", ["test_mentor_notice", "test_hr_notice", "test_student_notice"]),
        ("hr", "test_hr_notice", ["test_mentor_notice", "test_staff_notice", "test_student_notice"]),
        ("student", "test_student_notice", ["test_mentor_notice", "test_staff_notice", "test_hr_notice"]),
    ],
    indirect=["persona"],
)
def test_the_settings_list_the_reminders_of_the_persons_role(client, persona, shown, hidden):
    client.force_login(persona)

    response = client.get(reverse("notifications:preferences"))

    fields = response.context["form"].fields
    assert shown in fields
    assert not set(hidden) & set(fields)
    assert fields[shown].initial is True
    assert not fields[shown].disabled
    assert str(kinds.get(shown).label) in response.content.decode()


def test_a_role_without_reminder_kinds_is_told_there_are_none_to_choose_from(client, admin_user):
    # (no kind, of the programme's or the tests', is for the administrator)
    client.force_login(admin_user)

    html = page(client, "notifications:preferences")

    assert "There are no reminders for your role yet." in html
    assert 'type="checkbox"' not in html


def test_unticking_a_reminder_saves_the_choice_and_shows_it_unticked(browser, mentor):
    browser.force_login(mentor)

    response = submit_preferences(browser, test_mentor_notice=False)

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:preferences")
    preference = NotificationPreference.objects.get(user=mentor, kind="test_mentor_notice")
    assert preference.enabled is False
    reopened = browser.get(reverse("notifications:preferences"))
    assert reopened.context["form"].fields["test_mentor_notice"].initial is False
    assert "Your notification settings are saved." in reopened.content.decode()


def test_a_reminder_switched_off_in_the_settings_is_cancelled_when_due(browser):
    mentor = a_mentor()
    browser.force_login(mentor)
    submit_preferences(browser, test_mentor_notice=False)
    reminder = plan_due_notice(mentor)

    report = services.reminders_deliver_due()

    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.CANCELLED
    assert reminder.cancelled_reason == "switched off by the recipient"
    assert report.cancelled == 1
    assert mail.outbox == []
    assert not Notification.objects.filter(user=mentor).exists()


def test_a_reminder_ticked_again_is_delivered_when_due(browser):
    mentor = a_mentor()
    browser.force_login(mentor)
    submit_preferences(browser, test_mentor_notice=False)
    submit_preferences(browser, test_mentor_notice=True)
    reminder = plan_due_notice(mentor)

    services.reminders_deliver_due()

    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert [message.to for message in mail.outbox] == [["chen@xiaomi.com"]]
    assert Notification.objects.get(user=mentor).link == "/notifications/"


def test_an_essential_reminder_is_shown_ticked_and_cannot_be_switched_off(browser, mentor, essential_kind):
    browser.force_login(mentor)

    form_page = browser.get(reverse("notifications:preferences"))
    field = form_page.context["form"].fields["test_essential"]
    assert field.disabled
    assert field.initial is True
    assert "Always sent: it concerns a decision or your placement." in form_page.content.decode()

    submit_preferences(browser, test_mentor_notice=False)  # test_essential left unticked

    assert not NotificationPreference.objects.filter(user=mentor, kind="test_essential").exists()
    assert NotificationPreference.objects.get(user=mentor, kind="test_mentor_notice").enabled is False


def test_saving_settings_ignores_essential_and_unknown_kinds(mentor, essential_kind):
    services.preferences_set(
        user=mentor,
        enabled={"test_essential": False, "no_such_kind": False, "test_mentor_notice": False},
    )

    saved = set(NotificationPreference.objects.filter(user=mentor).values_list("kind", "enabled"))
    assert saved == {("test_mentor_notice", False)}


def test_an_essential_reminder_is_delivered_even_if_a_preference_says_off(db, essential_kind):
    mentor = a_mentor()
    # A row the form can no longer write (e.g. saved before the kind became essential).
    NotificationPreference.objects.create(user=mentor, kind="test_essential", enabled=False)
    reminder = plan_due_notice(mentor, kind="test_essential")

    services.reminders_deliver_due()

    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert [message.to for message in mail.outbox] == [["chen@xiaomi.com"]]


# --- Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 60])
def test_the_notification_list_makes_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, student, other_student, size
):
    NotificationFactory.create_batch(size, user=student)
    NotificationFactory.create_batch(size, user=student, read_at=timezone.now())
    NotificationFactory.create_batch(size, user=other_student)
    client.force_login(student)

    with django_assert_max_num_queries(LIST_QUERY_BOUND):
        response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(20, 2 * size)


@pytest.mark.parametrize("size", [3, 60])
def test_the_settings_page_makes_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, mentor, size
):
    NotificationFactory.create_batch(size, user=mentor)
    NotificationPreference.objects.create(user=mentor, kind="test_mentor_notice", enabled=False)
    client.force_login(mentor)

    with django_assert_max_num_queries(PREFERENCES_QUERY_BOUND):
        response = client.get(reverse("notifications:preferences"))

    assert response.status_code == 200
    assert "test_mentor_notice" in response.context["form"].fields
