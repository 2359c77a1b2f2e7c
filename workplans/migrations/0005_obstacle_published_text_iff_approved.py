from django.db import migrations, models


class Migration(migrations.Migration):
    """The constraint in its own migration (its own transaction): PostgreSQL refuses to alter a table with
    pending trigger events from the update in 0003."""

    dependencies = [
        ("workplans", "0004_obstacle_published_description"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="obstacle",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("approved_for_publication", True), models.Q(("published_description", ""), _negated=True)
                    ),
                    models.Q(("approved_for_publication", False), ("published_description", "")),
                    _connector="OR",
                ),
                name="workplans_obstacle_published_text_iff_approved",
            ),
        ),
    ]
