"""Every edit is kept with who made it; editors see what changed and revert it."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.forms.models import model_to_dict

from publishing.loads import LOAD_REASON
from routes.changelog import history_lines
from routes.models import Country, Document, Fact, Question, Route, Source, Step

from .factories import FigureFactory, RouteFactory
from .helpers import form_data as page_form
from .helpers import text_of

pytestmark = pytest.mark.django_db
SEED = "labour-immigrant-work-permit"


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


def test_loaded_content_has_one_history_entry_per_object_attributed_to_the_load(content):
    for model in (Country, Source, Route, Fact, Document, Step, Question):
        records = model.history.all()
        assert records.count() == model.objects.count()
        assert set(records.values_list("history_change_reason", "history_user")) == {
            (LOAD_REASON, None)
        }


def test_the_first_edit_of_a_loaded_row_can_be_reverted(editor, content):
    question = Question.objects.filter(route__slug=SEED).first()
    original = question.question
    change = f"/admin/routes/question/{question.pk}/change/"
    response = editor.post(change, page_form(editor.get(change)) | {"question": "Edited?"})
    assert response.status_code == 302

    history_page = editor.get(f"/admin/routes/route/{question.route_id}/history/")
    assert f"Question changed from “{original}” to “Edited?”" in text_of(history_page)
    loaded = Question.history.filter(id=question.pk).earliest("history_date")
    revert_url = f"/admin/routes/question/{question.pk}/history/{loaded.history_id}/"
    own_history = editor.get(f"/admin/routes/question/{question.pk}/history/")
    assert revert_url in own_history.content.decode()
    assert LOAD_REASON in text_of(own_history)
    response = editor.post(revert_url, page_form(editor.get(revert_url)))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.question == original


def test_a_load_over_a_recorded_row_says_what_it_changed_and_who(editor, content, tmp_path):
    route = Route.objects.get(slug=SEED)
    fixture = Path(settings.BASE_DIR) / "fixtures" / "10-kazakhstan-labour-immigrant.json"
    changed = tmp_path / fixture.name
    changed.write_text(fixture.read_text().replace(route.summary, "A newer summary."))
    call_command("loaddata", str(changed), verbosity=0)
    history = text_of(editor.get(f"/admin/routes/route/{route.pk}/history/"))
    assert f"{LOAD_REASON} Summary changed" in history
