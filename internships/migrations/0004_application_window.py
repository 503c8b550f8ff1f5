# The student's preferred placement window is `window`, as on Placement (one name per concept).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("internships", "0003_mentor_capacity_and_store_phone_validators"),
    ]

    operations = [
        migrations.RenameField(model_name="application", old_name="placement_window", new_name="window"),
    ]
