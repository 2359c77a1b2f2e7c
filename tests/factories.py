"""factory_boy factories. Traits name states; services stay the only writers of domain flow."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group
from faker import Faker

from accounts.constants import OrganisationType, Role
from accounts.models import Membership, Organisation, Team, User

_FAKER = Faker("nl_NL")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Gemeente Testdorp {n}")
    type = OrganisationType.GEMEENTE

    class Params:
        partner = factory.Trait(
            name=factory.Sequence(lambda n: f"GGZ Aanbieder {n}"), type=OrganisationType.ZORGAANBIEDER
        )


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Wijkteam {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    # Every other professional has a name with an apostrophe ("van 't Hof"), which HTML escapes:
    # a page test must compare escaped text, and this makes a forgotten escape fail every run.
    last_name = factory.Sequence(lambda n: ("van 't " if n % 2 else "") + _FAKER.last_name())
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("geheim-wachtwoord-1")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.WIJKCOACH

    @factory.post_generation
    def sync_groups(obj, create, extracted, **kwargs):
        if create:
            obj.user.groups.add(Group.objects.get(name=obj.role))


def make_user(role: str, team: Team, **kwargs) -> User:
    """A user of ``team``'s organisation holding ``role`` in ``team``."""
    user = UserFactory(organisation=team.organisation, **kwargs)
    MembershipFactory(user=user, team=team, role=role)
    return user


def shared_purpose(**overrides):
    """A public-task purpose that may be shared with every kind of organisation and covers every data
    category (with its art. 9 and art. 10 grounds): for tests about something other than purpose limits."""
    from consent.constants import CriminalGround, DataCategory, LegalBasis, PurposeLaw, SpecialGround
    from consent.models import Purpose

    defaults = {
        "name": "Uitvoering werkplan (test)",
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "special_ground": SpecialGround.CARE,
        "criminal_ground": CriminalGround.UAVG_33,
        "law": PurposeLaw.WAMS,
        "categories": list(DataCategory.values),
        "recipient_types": list(OrganisationType.values),
    }
    defaults.update(overrides)
    code = defaults.pop("code", "test-alles")
    purpose, _ = Purpose.objects.get_or_create(code=code, defaults=defaults)
    return purpose
