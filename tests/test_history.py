"""Every edit is kept with who made it; editors see what changed and revert it."""

import pytest
from django.forms.models import model_to_dict

from routes.changelog import history_lines
from routes.models import Fact, Route

from .factories import FigureFactory, RouteFactory
from .helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "ed@example.com", "pw")
    client.force_login(user)
    client.user = user
    return client


def form_data(instance):
    data = {k: ("" if v is None else v) for k, v in model_to_dict(instance).items()}
    return data


def test_an_admin_edit_is_recorded_with_its_editor(editor):
    figure = FigureFactory(minimum=5, maximum=5, unit="days")
    data = form_data(figure) | {"minimum": "2", "maximum": "2"}
    response = editor.post(f"/admin/routes/fact/{figure.pk}/change/", data)
    assert response.status_code == 302
    latest = Fact.history.filter(id=figure.pk).latest("history_date")
    assert latest.history_user == editor.user
    assert latest.minimum == 2


def test_route_history_says_what_changed_and_reverting_restores_it(editor):
    figure = FigureFactory(minimum=5, maximum=5, unit="days")
    editor.post(
        f"/admin/routes/fact/{figure.pk}/change/",
        form_data(figure) | {"minimum": "2", "maximum": "2"},
    )
    history_page = editor.get(f"/admin/routes/route/{figure.route_id}/history/")
    text = text_of(history_page)
    assert "Processing time changed from 5 days to 2 days" in text
    assert "Processing time added: 5 days" in text

    original = Fact.history.filter(id=figure.pk).earliest("history_date")
    revert_url = f"/admin/routes/fact/{figure.pk}/history/{original.history_id}/"
    assert revert_url in history_page.content.decode()
    assert editor.get(revert_url).status_code == 200
    response = editor.post(revert_url, form_data(original.instance))
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.minimum == 5
    assert "Processing time changed from 2 days to 5 days" in [
        c.text for c in history_lines([figure.route_id])
    ]
    page = text_of(editor.get(figure.route.get_absolute_url()))
    assert "Processing time 5 days" in page


def test_deleting_a_route_keeps_its_history(editor):
    route = RouteFactory(official_name="Short-lived permit")
    route_id = route.pk
    response = editor.post(f"/admin/routes/route/{route_id}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Route.objects.filter(pk=route_id).exists()
    records = Route.history.filter(id=route_id)
    assert [r.history_type for r in records.order_by("history_date")] == ["+", "-"]
    assert records.latest("history_date").official_name == "Short-lived permit"


def test_changes_through_inlines_are_recorded_too(editor):
    from .factories import CategoryFactory, CountryFactory, SourceFactory
    from .test_admin import route_form

    data = route_form(CountryFactory(code="CA"), CategoryFactory(), SourceFactory())
    editor.post("/admin/routes/route/add/", data)
    route = Route.objects.get()
    texts = [c.text for c in history_lines([route.pk])]
    assert "Route added" in texts
    assert "Fee “Permit fee” added: 155 CAD" in texts
    assert "Document added: Passport" in texts
