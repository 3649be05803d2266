from tests.accounts.factories import PASSWORD


def test_login_returns_bearer_token_pair_in_envelope(anon_client, learner):
    response = anon_client.post(
        "/api/v1/auth/login", {"email": learner.email.upper(), "password": PASSWORD}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["error"] is None and body["meta"] is None
    assert body["data"]["token_type"] == "Bearer"
    assert body["data"]["expires_in"] == 3600
    me = anon_client.get(
        "/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {body['data']['access_token']}"
    )
    assert me.json()["data"]["id"] == learner.id


def test_instructor_persona_is_staff_in_instructors_group(instructor):
    assert instructor.is_staff and not instructor.is_superuser
    assert instructor.groups.filter(name="Instructors").exists()
