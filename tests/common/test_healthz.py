"""GET /healthz: 200 while the database answers, 503 when it does not."""

from django.db import OperationalError, connection


def test_healthz_is_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_healthz_answers_head(client, db):
    assert client.head("/healthz").status_code == 200


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405


def test_healthz_is_503_when_the_database_fails(client, db):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(refuse):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert "connection refused" not in response.content.decode()


def test_healthz_is_not_redirected_to_https(settings, client, db):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/auth/me").status_code == 301
