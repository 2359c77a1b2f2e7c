import pytest
from django.urls import reverse

from accounts.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_inbox_shows_unread_count_and_marks_read(client, wijkcoach):
    note = notify(user=wijkcoach, title="Werkplan vaststellen (casus 2026-000001): Goedgekeurd", url="/")
    client.force_login(wijkcoach)
    page = client.get(reverse("werkvoorraad")).content.decode()
    assert '<span class="app-badge app-badge--danger">1<span class="app-visually-hidden"> ongelezen' in page
    assert "Goedgekeurd" in client.get(reverse("accounts:inbox")).content.decode()

    response = client.post(reverse("accounts:notification-read", args=[note.uuid]))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    assert "ongelezen" not in client.get(reverse("werkvoorraad")).content.decode()


def test_another_users_notification_is_404_and_an_outside_link_is_not_followed(client, wijkcoach):
    other = UserFactory()
    theirs = notify(user=other, title="Niet voor u")
    client.force_login(wijkcoach)
    assert client.post(reverse("accounts:notification-read", args=[theirs.uuid])).status_code == 404
    mine = notify(user=wijkcoach, title="Extern", url="https://evil.example/")
    response = client.post(reverse("accounts:notification-read", args=[mine.uuid]))
    assert response["Location"] == reverse("accounts:inbox")
