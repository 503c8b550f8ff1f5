"""Inviting people by e-mail, accepting, resending and the rules on who may invite whom."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from accounts.models import Invitation, Role, User
from tests.factories import InvitationFactory, MentorUserFactory, StudentFactory

INVITATION_SUBJECT = "Your invitation to the SZTU × Xiaomi New Retail Talent Programme"
NEW_PASSWORD = "a-long-new-passphrase-42"


def invite(client, django_capture_on_commit_callbacks, **data):
    """Post the invitation form as the signed-in client; run what it queues after commit."""
    form = {"email": "newcomer@qq.com", "full_name": "赵雨桐", "role": Role.STUDENT, "language": "en", **data}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("accounts:invitations"), form)
    return response, callbacks


def accept_path_in(message) -> str:
    match = re.search(r"/accounts/invite/[^/\s\"]+/", message.body)
    assert match, message.body
    return match.group(0)


def accept(client, path, password=NEW_PASSWORD, repeat=None, **kwargs):
    return client.post(path, {"password1": password, "password2": repeat or password}, **kwargs)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_staff_invites_a_student_who_gets_one_email_with_the_link(
    staff_client, staff, django_capture_on_commit_callbacks
):
    response, callbacks = invite(staff_client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:invitations")
    user = User.objects.get(email="newcomer@qq.com")
    assert not user.is_active
    assert not user.has_usable_password()
    assert (user.role, user.full_name, user.language) == (Role.STUDENT, "赵雨桐", "en")
    invitation = Invitation.objects.get(user=user)
    assert invitation.invited_by == staff
    assert invitation.accepted_at is None
    assert invitation.sent_count == 1
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newcomer@qq.com"]
    assert message.subject == INVITATION_SUBJECT
    path = accept_path_in(message)
    assert f"{settings.SITE_URL.rstrip('/')}{path}" in message.body
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert hashlib.sha256(token.encode()).hexdigest() == invitation.token_hash
    assert path in message.alternatives[0][0]


def test_it_lists_the_new_invitation_as_waiting(staff_client, django_capture_on_commit_callbacks):
    invite(staff_client, django_capture_on_commit_callbacks)

    response = staff_client.get(reverse("accounts:invitations"))

    assert "newcomer@qq.com" in response.content.decode()
    assert [i.status for i in response.context["page"].object_list] == [Invitation.Status.PENDING]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_invitation_email_is_in_the_invitees_language(
    staff_client, django_capture_on_commit_callbacks, template_languages, language
):
    invite(staff_client, django_capture_on_commit_callbacks, language=language)

    [message] = mail.outbox
    invitation = Invitation.objects.get()
    with translation.override(language):
        expected_subject = gettext(INVITATION_SUBJECT)
        expires = formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")
    assert message.subject == expected_subject
    # Dates follow the invitee's language even where the catalogue lacks a translation.
    assert expires in message.body
    if language == "zh-hans":
        assert re.search(r"[\u4e00-\u9fff]", message.subject)  # translated in locale/zh_Hans
        assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", expires)
    else:
        assert message.subject == INVITATION_SUBJECT
        assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", expires)
    email_templates = {name: lang for name, lang in template_languages if name.startswith("emails/")}
    assert email_templates == {
        "emails/invitation_subject.txt": language,
        "emails/invitation_body.txt": language,
        "emails/invitation_body.html": language,
    }


def test_the_invitee_sets_a_password_and_lands_on_their_home(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    invite(client, django_capture_on_commit_callbacks)
    path = accept_path_in(mail.outbox[0])
    client.logout()

    page = client.get(path)
    assert page.status_code == 200
    assert "newcomer@qq.com" in page.content.decode()
    response = accept(client, path, follow=True)

    assert response.redirect_chain[-1][0] == reverse("dashboards:student_home")
    user = User.objects.get(email="newcomer@qq.com")
    assert user.is_active
    assert user.check_password(NEW_PASSWORD)
    assert response.wsgi_request.user == user
    assert Invitation.objects.get(user=user).accepted_at is not None


def test_accepting_while_signed_in_as_someone_else_signs_in_the_invitee(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    invite(client, django_capture_on_commit_callbacks)

    response = accept(client, accept_path_in(mail.outbox[0]), follow=True)

    assert response.wsgi_request.user.email == "newcomer@qq.com"
    assert response.redirect_chain[-1][0] == reverse("dashboards:student_home")


def test_a_used_link_is_gone_and_changes_nothing(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    invite(client, django_capture_on_commit_callbacks)
    path = accept_path_in(mail.outbox[0])
    client.logout()
    accept(client, path)
    client.logout()
    password_hash = User.objects.get(email="newcomer@qq.com").password

    for response in (client.get(path), accept(client, path, "another-long-passphrase-7")):
        assert response.status_code == 410
        assert "already been used" in response.content.decode()

    assert User.objects.get(email="newcomer@qq.com").password == password_hash
    assert "_auth_user_id" not in client.session


def test_an_expired_link_is_gone_and_changes_nothing(
    client, staff, django_capture_on_commit_callbacks, time_machine
):
    client.force_login(staff)
    invite(client, django_capture_on_commit_callbacks)
    path = accept_path_in(mail.outbox[0])
    client.logout()

    time_machine.move_to(timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS, minutes=1))
    for response in (client.get(path), accept(client, path)):
        assert response.status_code == 410
        assert "expired" in response.content.decode()

    user = User.objects.get(email="newcomer@qq.com")
    assert not user.is_active
    assert not user.has_usable_password()
    assert Invitation.objects.get(user=user).accepted_at is None


def test_a_link_still_works_on_its_last_day(client, staff, django_capture_on_commit_callbacks, time_machine):
    client.force_login(staff)
    invite(client, django_capture_on_commit_callbacks)
    path = accept_path_in(mail.outbox[0])
    client.logout()

    time_machine.move_to(timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS, minutes=-1))

    assert client.get(path).status_code == 200


def test_resending_replaces_the_link(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    invite(client, django_capture_on_commit_callbacks)
    old_path = accept_path_in(mail.outbox[0])
    invitation = Invitation.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:invitation_resend", args=[invitation.pk]))

    assert response.status_code == 302
    assert len(mail.outbox) == 2
    new_path = accept_path_in(mail.outbox[1])
    assert new_path != old_path
    assert Invitation.objects.get().sent_count == 2
    client.logout()
    old = client.get(old_path)
    assert old.status_code == 410
    assert "not valid" in old.content.decode()
    response = accept(client, new_path, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboards:student_home")
    assert User.objects.get(email="newcomer@qq.com").is_active


def test_an_accepted_invitation_cannot_be_resent(client, staff, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(accepted_at=timezone.now())
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("accounts:invitation_resend", args=[invitation.pk]), follow=True)

    assert "already been accepted" in response.content.decode()
    assert callbacks == []
    assert mail.outbox == []


def test_hr_cannot_resend_a_students_invitation(client, hr):
    invitation = InvitationFactory()
    client.force_login(hr)

    response = client.post(reverse("accounts:invitation_resend", args=[invitation.pk]))

    assert response.status_code == 404


def test_each_inviter_sees_only_the_invitations_of_roles_they_may_invite(client, staff, hr):
    InvitationFactory(user=StudentFactory(email="a-student@qq.com", is_active=False, password=None))
    InvitationFactory(user=MentorUserFactory(email="a-mentor@xiaomi.com", is_active=False, password=None))

    client.force_login(staff)
    staff_page = client.get(reverse("accounts:invitations")).content.decode()
    client.force_login(hr)
    hr_page = client.get(reverse("accounts:invitations")).content.decode()

    assert "a-student@qq.com" in staff_page and "a-mentor@xiaomi.com" not in staff_page
    assert "a-mentor@xiaomi.com" in hr_page and "a-student@qq.com" not in hr_page


@pytest.fixture
def invited_person(db):
    return InvitationFactory(user=StudentFactory(email="invited@qq.com", is_active=False, password=None)).user


@pytest.mark.parametrize(
    "inviter, data, field",
    [
        ("staff", {"email": "not-an-email"}, "email"),
        ("staff", {"full_name": "   "}, "full_name"),
        ("staff", {"email": "Student@QQ.com"}, "email"),  # the student persona's active account
        ("staff", {"email": "invited@qq.com"}, "email"),  # already invited
        ("staff", {"role": Role.MENTOR}, "role"),
        ("hr", {"role": Role.STUDENT}, "role"),
    ],
    ids=[
        "invalid-email",
        "empty-name",
        "active-account",
        "already-invited",
        "staff-invites-mentor",
        "hr-invites-student",
    ],
)
def test_it_rejects_a_bad_invitation_and_saves_nothing(
    client, request, student, invited_person, django_capture_on_commit_callbacks, inviter, data, field
):
    client.force_login(request.getfixturevalue(inviter))
    users, invitations = User.objects.count(), Invitation.objects.count()

    response, callbacks = invite(client, django_capture_on_commit_callbacks, **data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert (User.objects.count(), Invitation.objects.count()) == (users, invitations)
    assert callbacks == []
    assert mail.outbox == []


def test_it_says_why_an_existing_email_cannot_be_invited(client, staff, student, invited_person):
    client.force_login(staff)
    form = {"full_name": "某人", "role": Role.STUDENT, "language": "en"}

    active = client.post(reverse("accounts:invitations"), {**form, "email": student.email})
    invited = client.post(reverse("accounts:invitations"), {**form, "email": invited_person.email})

    assert active.context["form"].errors["email"] == [
        "A person with this e-mail address already has an account."
    ]
    assert "already been invited" in invited.context["form"].errors["email"][0]


@pytest.mark.parametrize(
    "password, repeat, field",
    [(NEW_PASSWORD, "a-different-passphrase-42", "password2"), ("short", "short", "password1")],
    ids=["mismatch", "too-short"],
)
def test_it_rejects_a_bad_password_on_accept_and_keeps_the_account_inactive(
    client, db, password, repeat, field
):
    invitation = InvitationFactory()
    token = "a-known-token"
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hashlib.sha256(token.encode()).hexdigest())
    path = reverse("accounts:invitation_accept", args=[token])

    response = accept(client, path, password, repeat)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    invitation.refresh_from_db()
    invitation.user.refresh_from_db()
    assert not invitation.user.is_active
    assert not invitation.user.has_usable_password()
    assert invitation.accepted_at is None
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("persona", ["student", "mentor"], indirect=True)
def test_students_and_mentors_cannot_open_the_invitations_page(client, persona):
    client.force_login(persona)

    assert client.get(reverse("accounts:invitations")).status_code == 403
    assert client.post(reverse("accounts:invitations"), {"email": "x@qq.com"}).status_code == 403
    assert not User.objects.filter(email="x@qq.com").exists()


def test_the_database_refuses_two_open_invitations_for_one_person(db):
    first = InvitationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        InvitationFactory(user=first.user, invited_by=first.invited_by)


def test_the_database_allows_a_new_invitation_once_the_old_one_is_accepted(db):
    first = InvitationFactory(accepted_at=timezone.now())

    InvitationFactory(user=first.user, invited_by=first.invited_by)

    assert Invitation.objects.filter(user=first.user).count() == 2
