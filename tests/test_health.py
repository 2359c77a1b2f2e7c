import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_broker(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok", "vendor": "postgresql"}
    assert body["broker"]["status"] == "ok"
    assert body["broker"]["transport"] == "redis"


def test_health_reports_a_broker_that_is_down(client, settings):
    from socialdomain.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get(reverse("health"))
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["broker"]["status"] == "error"
    assert response.json()["database"]["status"] == "ok"
