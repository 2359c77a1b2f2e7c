"""BSN 11-test (DOMAIN.md section 5) and the other checks on client data."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services
from cases.models import Client
from cases.validators import bsn_is_valid, normalise_postcode, validate_bsn

pytestmark = pytest.mark.django_db


# --- The 11-test itself -----------------------------------------------------------


@pytest.mark.parametrize(
    "bsn",
    [
        "111222333",
        "123456782",
        # 8 digits: valid once left-padded to 012345611 (8+14+18+20+20+18+2-1 = 99 = 9 x 11).
        "12345611",
    ],
)
def test_valid_bsn_passes_the_11_test(bsn):
    assert bsn_is_valid(bsn)
    validate_bsn(bsn)  # does not raise


@pytest.mark.parametrize(
    "bsn",
    [
        pytest.param("123456789", id="checksum-wrong"),
        pytest.param("000000000", id="sum-zero"),
        pytest.param("11122233A", id="letters"),
        pytest.param("abcdefghi", id="only-letters"),
        pytest.param("1112223330", id="ten-digits"),
        pytest.param("1234567", id="seven-digits"),
        pytest.param("", id="empty"),
        pytest.param("111 222 333", id="spaces"),
        pytest.param("-11222333", id="sign"),
        # Unicode digits satisfy str.isdigit() but are not a BSN; the first would pass the
        # checksum as 111222333, the second makes int() raise instead of refusing cleanly.
        pytest.param("\u0661\u0661\u0661\u0662\u0662\u0662\u0663\u0663\u0663", id="arabic-indic-digits"),
        pytest.param("\u00b9\u00b9\u00b9\u00b2\u00b2\u00b2\u00b3\u00b3\u00b3", id="superscript-digits"),
    ],
)
def test_invalid_bsn_is_refused(bsn):
    assert not bsn_is_valid(bsn)
    with pytest.raises(ValidationError) as exc:
        validate_bsn(bsn)
    assert exc.value.code == "invalid_bsn"


# --- Client model and services ------------------------------------------------------


def _client_fields(**overrides):
    fields = {"given_names": "Fatima", "family_name": "El Amrani", "date_of_birth": datetime.date(1975, 3, 2)}
    return {**fields, **overrides}


def test_client_full_clean_gives_a_dutch_error_on_bsn():
    client = Client(bsn="123456789", **_client_fields())
    with pytest.raises(ValidationError) as exc:
        client.full_clean()
    assert list(exc.value.message_dict) == ["bsn"]
    assert "geen geldig burgerservicenummer" in exc.value.message_dict["bsn"][0]


def test_client_without_bsn_is_fine(wijkcoach):
    # The BSN is optional; an empty value is stored as NULL so the unique constraint ignores it.
    first = services.client_create(actor=wijkcoach, bsn="", **_client_fields())
    second = services.client_create(actor=wijkcoach, bsn="  ", **_client_fields(given_names="Yusuf"))
    assert first.bsn is None
    assert second.bsn is None


@pytest.mark.parametrize(
    "bsn",
    [
        pytest.param("\u0661\u0661\u0661\u0662\u0662\u0662\u0663\u0663\u0663", id="arabic-indic-digits"),
        pytest.param("\u00b9\u00b9\u00b9\u00b2\u00b2\u00b2\u00b3\u00b3\u00b3", id="superscript-digits"),
    ],
)
def test_client_create_refuses_non_ascii_digits_as_a_field_error(wijkcoach, bsn):
    with pytest.raises(ValidationError) as exc:
        services.client_create(actor=wijkcoach, bsn=bsn, **_client_fields())
    assert "bsn" in exc.value.message_dict
    assert not Client.objects.exists()


def test_client_create_refuses_a_duplicate_bsn(wijkcoach):
    services.client_create(actor=wijkcoach, bsn="111222333", **_client_fields())

    with pytest.raises(ValidationError) as exc:
        services.client_create(actor=wijkcoach, bsn="111222333", **_client_fields(given_names="Iemand anders"))

    assert list(exc.value.message_dict) == ["bsn"]
    assert "al een cliënt met dit BSN" in exc.value.message_dict["bsn"][0]
    assert Client.objects.count() == 1
    assert Client.objects.get().given_names == "Fatima"


def test_client_create_strips_the_bsn_before_the_duplicate_check(wijkcoach):
    services.client_create(actor=wijkcoach, bsn="111222333", **_client_fields())
    with pytest.raises(ValidationError) as exc:
        services.client_create(actor=wijkcoach, bsn=" 111222333 ", **_client_fields())
    assert "bsn" in exc.value.message_dict
    assert Client.objects.count() == 1


def test_client_update_refuses_the_bsn_of_another_client(wijkcoach):
    services.client_create(actor=wijkcoach, bsn="111222333", **_client_fields())
    other = services.client_create(actor=wijkcoach, bsn="123456782", **_client_fields(given_names="Karin"))

    with pytest.raises(ValidationError) as exc:
        services.client_update(actor=wijkcoach, client=other, bsn="111222333")

    assert "bsn" in exc.value.message_dict
    other.refresh_from_db()
    assert other.bsn == "123456782"


# --- Postcode ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [("1234ab", "1234 AB"), ("1234 ab", "1234 AB"), (" 9999Zz ", "9999 ZZ"), ("1234 AB", "1234 AB")],
)
def test_postcode_is_normalised(wijkcoach, raw, normalised):
    assert normalise_postcode(raw) == normalised
    client = services.client_create(actor=wijkcoach, postcode=raw, **_client_fields())
    client.refresh_from_db()
    assert client.postcode == normalised


@pytest.mark.parametrize("postcode", ["0123 AB", "12345", "1234", "1234 A", "1234 ABC", "AB 1234", "1234-AB"])
def test_invalid_postcode_is_refused(wijkcoach, postcode):
    with pytest.raises(ValidationError) as exc:
        services.client_create(actor=wijkcoach, postcode=postcode, **_client_fields())
    assert "postcode" in exc.value.message_dict
    assert any("1234 AB" in message for message in exc.value.message_dict["postcode"])
    assert not Client.objects.exists()


# --- Date of birth and text ------------------------------------------------------------


def test_date_of_birth_in_the_future_is_refused(wijkcoach):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.client_create(actor=wijkcoach, **_client_fields(date_of_birth=tomorrow))
    assert "date_of_birth" in exc.value.message_dict
    assert "toekomst" in exc.value.message_dict["date_of_birth"][0]
    assert not Client.objects.exists()


def test_date_of_birth_today_is_allowed(wijkcoach):
    client = services.client_create(actor=wijkcoach, **_client_fields(date_of_birth=timezone.localdate()))
    assert client.pk is not None


@pytest.mark.parametrize("field", ["given_names", "family_name"])
def test_nul_character_in_a_name_is_refused(wijkcoach, field):
    with pytest.raises(ValidationError) as exc:
        services.client_create(actor=wijkcoach, **_client_fields(**{field: "Jan\x00tje"}))
    assert field in exc.value.message_dict
    assert "NUL" in exc.value.message_dict[field][0]
    assert not Client.objects.exists()
