"""Functioneel beheer: purposes are managed in the admin and audited; the registers are read-only there."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.constants import Role
from consent.constants import AccessAction, DataCategory, LegalBasis, PurposeLaw
from consent.models import AccessLogEntry, Purpose
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder(team):
    user = make_user(Role.BEHEERDER, team, username="t_beheer")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_beheerder_adds_a_purpose_in_the_admin_and_the_change_is_audited(client, beheerder):
    client.force_login(beheerder)
    response = client.post(
        reverse("admin:consent_purpose_add"),
        {
            "code": "woonbegeleiding",
            "name": "Woonbegeleiding",
            "law": PurposeLaw.WMO,
            "legal_basis": LegalBasis.PUBLIC_TASK,
            "special_ground": "",
            "criminal_ground": "",
            "categories": [DataCategory.IDENTITEIT, DataCategory.WONEN],
            "recipient_types": ["woningcorporatie"],
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    purpose = Purpose.objects.get(code="woonbegeleiding")
    assert purpose.categories == [DataCategory.IDENTITEIT, DataCategory.WONEN]
    assert LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Purpose), object_pk=str(purpose.pk)
    ).exists()


def test_a_purpose_with_health_data_needs_an_article_9_ground(client, beheerder):
    client.force_login(beheerder)
    response = client.post(
        reverse("admin:consent_purpose_add"),
        {
            "code": "zorg",
            "name": "Zorg",
            "law": PurposeLaw.WMO,
            "legal_basis": LegalBasis.PUBLIC_TASK,
            "categories": [DataCategory.PSYCHISCHE_GEZONDHEID],
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "artikel 9" in response.content.decode()
    assert not Purpose.objects.filter(code="zorg").exists()


def test_the_access_log_is_read_only_in_the_admin(admin_client, wijkcoach):
    entry = AccessLogEntry.objects.create(user=wijkcoach, action=AccessAction.VIEW, route="GET x")
    assert admin_client.get(reverse("admin:consent_accesslogentry_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:consent_accesslogentry_add")).status_code == 403
    admin_client.post(reverse("admin:consent_accesslogentry_delete", args=[entry.pk]), {"post": "yes"})
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()
