"""Students choose on their notification settings whether course deadline reminders reach them."""

from django.urls import reverse

from courses.reminders import DEADLINE_KIND


def test_a_student_can_switch_off_course_deadline_reminders(client, student):
    client.force_login(student)

    response = client.get(reverse("notifications:preferences"))

    field = response.context["form"].fields[DEADLINE_KIND]
    assert not field.disabled
    assert "A course I have not finished is due soon" in response.content.decode()
