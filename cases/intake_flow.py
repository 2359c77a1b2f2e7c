"""The front door in one transaction: a new client together with what follows from it.

A melding about somebody not yet known, or a new client with a case opened at
once, writes two records. Both go through ``cases.services`` inside one
transaction, so a refused second write leaves no orphaned client behind.

``ClientInvalid`` carries the errors of the client's own fields, so that the
page can show them on the client part of its form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Team, User

from . import services
from .constants import SignalOutcome
from .models import Case, Client, Signal


class ClientInvalid(ValidationError):
    """The new client's data was refused; the errors are keyed by client field."""


def _client_create(*, actor: User, fields: Mapping[str, Any], team: Team | None) -> Client:
    try:
        return services.client_create(actor=actor, team=team, **fields)
    except ValidationError as exc:
        raise ClientInvalid(exc) from exc


@transaction.atomic
def signal_record_about_new_client(*, actor: User, client_fields: Mapping[str, Any], **signal_fields) -> Signal:
    """Create the client and record the melding about them, or neither.

    Raises ``ClientInvalid`` for the client's data and ``ValidationError`` for the melding.
    """
    client = _client_create(actor=actor, fields=client_fields, team=signal_fields.get("team"))
    return services.signal_record(actor=actor, client=client, **signal_fields)


@transaction.atomic
def signal_triage_new_client(
    *, actor: User, signal: Signal, client_fields: Mapping[str, Any], note: str = "", laws: Iterable[str] = ()
) -> Signal:
    """Triage a melding about somebody not yet known as ``nieuwe_casus``, creating the client first."""
    client = _client_create(actor=actor, fields=client_fields, team=signal.team)
    return services.signal_triage(
        actor=actor, signal=signal, outcome=SignalOutcome.NIEUWE_CASUS, note=note, new_case_client=client, laws=laws
    )


@transaction.atomic
def client_create_with_case(
    *, actor: User, client_fields: Mapping[str, Any], team: Team | None = None, laws: Iterable[str] = ()
) -> tuple[Client, Case | None]:
    """Create a client and, when ``team`` is given, open a case for them in that team."""
    client = _client_create(actor=actor, fields=client_fields, team=team)
    case = services.case_open(actor=actor, team=team, client=client, laws=laws) if team is not None else None
    return client, case
