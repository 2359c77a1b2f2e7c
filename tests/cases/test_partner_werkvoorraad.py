"""A partner's werkvoorraad lists the cases their purpose covers, each row showing only what it allows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import services
from cases.constants import CaseRole
from consent.constants import DataCategory, DisclosureChannel
from consent.models import Disclosure
from tests.factories import shared_purpose

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("categories", "name_shown"), [(list(DataCategory.values), True), ([], False)])
def test_partner_sees_invited_cases_with_only_the_permitted_columns(
    client, wijkcoach, partner_user, resident, resident_case, categories, name_shown
):
    purpose = shared_purpose(code=f"test-{len(categories)}", categories=categories)
    services.case_member_add(
        actor=wijkcoach, case=resident_case, user=partner_user, role=CaseRole.PARTNER, purpose=purpose
    )
    client.force_login(partner_user)

    content = client.get(reverse("werkvoorraad")).content.decode()

    assert resident_case.number in content
    assert (resident.family_name in content) is name_shown
    disclosure = Disclosure.objects.get(case=resident_case)
    assert disclosure.channel == DisclosureChannel.PAGE
    assert disclosure.purpose == purpose


def test_partner_without_a_covering_purpose_does_not_see_the_case_listed(
    client, wijkcoach, partner_user, resident_case
):
    purpose = shared_purpose(code="test-no-ggz", recipient_types=["uwv"])
    services.case_member_add(
        actor=wijkcoach, case=resident_case, user=partner_user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    member = resident_case.members.get(user=partner_user)
    member.purpose = purpose  # the purpose no longer shares with the partner's kind of organisation
    member.save(update_fields=["purpose"])
    client.force_login(partner_user)

    content = client.get(reverse("werkvoorraad")).content.decode()

    assert resident_case.number not in content
    assert not Disclosure.objects.exists()
