import re

from assessments.models import Attempt, Submission


def _form_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(idempotency_key|csrfmiddlewaretoken)" value="([^"]*)"', html))


def test_learner_takes_untimed_quiz_and_sees_result(client_for, enrolled, quiz):
    client = client_for(enrolled)
    assert client.get("/").status_code == 200
    assert client.get(f"/courses/{quiz.course_id}/").status_code == 200
    assert client.get(f"/assessments/{quiz.pk}/").status_code == 200
    response = client.post(f"/assessments/{quiz.pk}/start")
    assert response.status_code == 302
    attempt = Attempt.objects.get()
    page = client.get(response["Location"])
    assert page.status_code == 200
    key = _form_fields(page.content.decode())["idempotency_key"]
    data = {"idempotency_key": key, "action": "confirm"}
    for question in quiz.questions.all():
        right = [o.pk for o in question.options.all() if o.is_correct]
        data[f"q-{question.pk}"] = right
    response = client.post(f"/assessments/{quiz.pk}/attempts/{attempt.pk}/", data)
    assert response.status_code == 303, response.content.decode()[:2000]
    result = client.get(response["Location"])
    assert result.status_code == 200
    assert b"100.00%" in result.content
    assert Submission.objects.count() == 1
