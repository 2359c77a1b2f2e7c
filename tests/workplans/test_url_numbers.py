"""Whole numbers in URLs are bounded (security review, finding 10): ``?from=99999999999999999999`` on the version
difference answered 500 (SQLite: OverflowError). Query parameters: 400 with a Dutch message (problem+json in the
API); path parts: 404. ``api_conventions.numbers``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from api_conventions.numbers import InvalidQueryParameter, NumberConverter, query_int
from tests.workplans.api.test_workplans_api import goal, problem, url  # noqa: F401  (fixture)
from workplans import services

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
MESSAGE = "{name} moet een geheel getal zijn van 1 tot en met 999999999."


# --- The helper and the converter ---------------------------------------------------------------


@pytest.mark.parametrize("raw", ["abc", "1.5", "1e3", "0", "-3", HUGE, "1000000000", "٣", "+1", "1 2"])
def test_query_int_refuses_anything_but_a_whole_number_in_bounds(raw):
    with pytest.raises(InvalidQueryParameter) as excinfo:
        query_int({"pagina": raw}, "pagina")
    assert excinfo.value.name == "pagina"
    assert excinfo.value.message == MESSAGE.format(name="pagina")


def test_query_int_gives_the_number_or_the_default():
    assert query_int({"pagina": " 7 "}, "pagina") == 7
    assert query_int({"pagina": "999999999"}, "pagina") == 999_999_999
    assert query_int({}, "pagina", default=1) == 1
    assert query_int({"pagina": ""}, "pagina", default=1) == 1
    assert query_int({"n": "0"}, "n", min_value=0) == 0
    with pytest.raises(InvalidQueryParameter):
        query_int({"pageSize": "101"}, "pageSize", max_value=100)


def test_no_url_uses_the_unbounded_int_converter():
    def walk(patterns):
        for pattern in patterns:
            yield pattern
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)

    converters = [c for p in walk(get_resolver().url_patterns) for c in getattr(p.pattern, "converters", {}).values()]
    assert not [c for c in converters if isinstance(c, IntConverter)]
    assert [c for c in converters if isinstance(c, NumberConverter)]
    assert all(isinstance(p, URLPattern | URLResolver) for p in get_resolver().url_patterns)


def test_no_view_reads_a_number_from_the_query_string_by_hand():
    """``int(request.GET…)`` or ``get_page(request.GET…)`` bypass the bounds: use ``query_int``."""
    root = Path(settings.BASE_DIR)
    by_hand = re.compile(r"(?<![\w.])int\(\s*(self\.)?request\.|get_page\(\s*(request\.GET|params)\.get\(")
    offenders = [
        str(path.relative_to(root))
        for app in ("accounts", "cases", "consent", "workplans", "reminders", "reports", "socialdomain")
        for path in (root / app).rglob("*.py")
        if by_hand.search(path.read_text())
    ]
    assert offenders == []


# --- The version difference of the review: API and page ---------------------------------------


@pytest.fixture
def two_versions(wijkcoach, workplan, goal):  # noqa: F811
    services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    services.workplan_adopt(actor=wijkcoach, workplan=workplan, reason="Tweede versie")
    return workplan


@pytest.mark.parametrize("value", [HUGE, "abc", "0", "-1", "1e9"])
def test_the_api_diff_refuses_a_from_that_is_no_version_number_with_400(api_client, wijkcoach, two_versions, value):
    api_client.force_login(wijkcoach)
    body = problem(api_client.get(url(two_versions, "/versions/2/diff"), {"from": value}), 400)
    assert body["invalidParams"] == [
        {"name": "from", "code": "invalid_query_parameter", "reason": MESSAGE.format(name="from")}
    ]
    assert api_client.get(url(two_versions, "/versions/2/diff"), {"from": "1"}).status_code == 200
    # A valid number that is no version of this plan is still a 404.
    problem(api_client.get(url(two_versions, "/versions/2/diff"), {"from": "999999999"}), 404)


@pytest.mark.parametrize("number", [HUGE, "1234567890"])
def test_an_api_version_number_of_more_than_nine_digits_is_404(api_client, wijkcoach, two_versions, number):
    api_client.force_login(wijkcoach)
    problem(api_client.get(url(two_versions, f"/versions/{number}")), 404)
    problem(api_client.get(url(two_versions, f"/versions/{number}/diff")), 404)


def test_the_diff_page_refuses_a_version_that_is_no_number_with_a_dutch_400(client, wijkcoach, two_versions):
    client.force_login(wijkcoach)
    page = reverse("workplans:version-diff", args=[two_versions.case.uuid])
    for params, name in (({"van": HUGE}, "van"), ({"naar": HUGE}, "naar"), ({"van": "1", "naar": "x"}, "naar")):
        response = client.get(page, params)
        assert response.status_code == 400
        content = response.content.decode()
        assert MESSAGE.format(name=name) in content
        assert "Ongeldig verzoek" in content
    assert client.get(page, {"van": "1", "naar": "2"}).status_code == 200


# --- Page numbers: pages and API -----------------------------------------------------------------


def test_a_page_number_that_is_no_number_is_400_and_one_past_the_end_shows_the_last_page(client, wijkcoach):
    client.force_login(wijkcoach)
    for value in ("abc", HUGE, "0"):
        response = client.get(reverse("werkvoorraad"), {"pagina": value})
        assert response.status_code == 400
        assert MESSAGE.format(name="pagina") in response.content.decode()
    # A valid number past the last page: the last page, as a bookmarked link after cases were closed.
    assert client.get(reverse("werkvoorraad"), {"pagina": "999"}).status_code == 200


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ({"page": "abc"}, "page"),
        ({"page": HUGE}, "page"),
        ({"pageSize": "0"}, "pageSize"),
        ({"pageSize": "101"}, "pageSize"),
        ({"pageSize": "veel"}, "pageSize"),
    ],
)
def test_api_page_and_page_size_out_of_bounds_are_400(api_client, wijkcoach, query, name):
    api_client.force_login(wijkcoach)
    body = problem(api_client.get("/api/v1/cases", query), 400)
    assert [p["name"] for p in body["invalidParams"]] == [name]


def test_api_page_past_the_end_stays_404_and_last_works(api_client, wijkcoach):
    api_client.force_login(wijkcoach)
    problem(api_client.get("/api/v1/cases", {"page": "7"}), 404)
    assert api_client.get("/api/v1/cases", {"page": "last"}).status_code == 200
    assert api_client.get("/api/v1/cases", {"page": "1", "pageSize": "100"}).status_code == 200
