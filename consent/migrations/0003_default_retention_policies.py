"""The default retention periods per law (DOMAIN.md §4), as rows the beheerder can change in the admin.

The values are written out here rather than imported from ``consent.constants``:
a migration must do the same thing whenever it runs, even after the defaults change.
Existing rows are left alone; reversing removes only rows still as this migration wrote them.
"""

from django.db import migrations

SELECTIELIJST = "Selectielijst gemeenten 2020 (Stcrt. 2020, 11143)"

DEFAULTS = {
    "jeugdwet": (20, f"{SELECTIELIJST}: 20 jaar na beëindiging van de jeugdhulp"),
    "participatiewet": (10, f"{SELECTIELIJST}: 10 jaar; langer na een maatregel"),
    "wmo": (10, f"{SELECTIELIJST}: 7 tot 10 jaar; 10 jaar aangehouden"),
    "wgs": (10, f"{SELECTIELIJST}: 7 tot 10 jaar; 10 jaar aangehouden"),
    "overig": (7, f"{SELECTIELIJST}: standaardtermijn voor een casus zonder wet"),
}


def create_defaults(apps, schema_editor):
    RetentionPolicy = apps.get_model("consent", "RetentionPolicy")
    for law, (years, source) in DEFAULTS.items():
        RetentionPolicy.objects.get_or_create(
            law=law, defaults={"years": years, "action": "anonimiseren", "source": source}
        )


def remove_defaults(apps, schema_editor):
    RetentionPolicy = apps.get_model("consent", "RetentionPolicy")
    for law, (years, source) in DEFAULTS.items():
        RetentionPolicy.objects.filter(law=law, years=years, action="anonimiseren", source=source).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0002_purpose_retentionpolicy_retentionrecord_consent_and_more"),
    ]

    operations = [
        migrations.RunPython(create_defaults, remove_defaults),
    ]
