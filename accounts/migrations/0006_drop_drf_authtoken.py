"""Remove DRF's ``rest_framework.authtoken`` from an existing database.

Its keys were stored readable, so none is carried over: every user makes a new personal API key on the page
"Mijn API-sleutels" (stored hashed, ``accounts.ApiToken``). On a new database there is nothing to remove and
every step below does nothing.
"""

from django.db import migrations


def forget_authtoken_content_types(apps, schema_editor):
    # Their permissions ("add token", ...) go with them. Only an upgraded database has any, and there every
    # other app's tables already exist, so the delete can follow every relation.
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.using(schema_editor.connection.alias).filter(app_label="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_role_requests_api_tokens"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
        # The app is no longer installed: forget that its migrations ran, so adding it back would start clean.
        migrations.RunSQL("DELETE FROM django_migrations WHERE app = 'authtoken'", reverse_sql=migrations.RunSQL.noop),
        migrations.RunPython(forget_authtoken_content_types, migrations.RunPython.noop),
    ]
