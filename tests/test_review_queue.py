"""A second pair of eyes: each change to a published route waits for a publisher.

Changes go live when saved; a publisher approves or undoes each one, and
nobody approves their own.
"""

import pytest
from django.contrib.auth.models import Group

from routes.models import Change, Fact, Review, ReviewVerdict, Route, RouteStatus

from .factories import FigureFactory, QuestionFactory, RouteFactory, SourceFactory
from .helpers import text_of

pytestmark = pytest.mark.django_db
QUEUE = "/admin/routes/change/"


@pytest.fixture
def people(django_user_model):
    """An editor and two publishers, each in their role's group."""

    def person(name, role):
        user = django_user_model.objects.create_user(name, password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return user

    return {
        "editor": person("erin", "Editor"),
        "publisher": person("paul", "Publisher"),
        "other publisher": person("petra", "Publisher"),
    }


def edited_by(user, row, **values):
    """Save the row with new values, as `user` would in the admin."""
    for name, value in values.items():
        setattr(row, name, value)
    row._history_user = user
    row.save()
    return Change.objects.latest("id")


def signed_in(client, user):
    client.force_login(user)
    return client


def act(client, action, *changes):
    return client.post(
        QUEUE, {"action": action, "_selected_action": [c.pk for c in changes]}, follow=True
    )


@pytest.fixture
def figure():
    return FigureFactory(minimum=5, maximum=5, unit="days", route__status=RouteStatus.PUBLISHED)


def test_an_edit_to_a_published_route_waits_with_its_words_and_author(client, people, figure):
    edited_by(people["editor"], figure, minimum=2, maximum=2)
    page = signed_in(client, people["publisher"]).get(QUEUE + "?review=waiting")
    assert page.status_code == 200
    text = text_of(page)
    assert "Changes to review" in text
    assert "Processing time changed from 5 days to 2 days" in text
    assert "erin" in text
    assert "Waiting" in text
    # The factory's own saves had no author: they are not in the queue.
    assert Change.objects.waiting().count() == 1


def test_the_admin_records_who_made_the_change(client, people, figure):
    editor = signed_in(client, people["editor"])
    form = editor.get(f"/admin/routes/fact/{figure.pk}/change/")
    assert form.status_code == 200
    data = {k: ("" if v is None else v) for k, v in form.context["adminform"].form.initial.items()}
    data |= {"minimum": "3", "maximum": "3", "route": figure.route_id, "source": figure.source_id}
    assert editor.post(f"/admin/routes/fact/{figure.pk}/change/", data).status_code == 302
    assert Change.objects.get(text__contains="to 3 days").user == people["editor"]


def test_changes_to_drafts_do_not_wait(client, people):
    draft = FigureFactory(minimum=5, maximum=5, unit="days", route__status=RouteStatus.DRAFT)
    edited_by(people["editor"], draft, minimum=1, maximum=1)
    assert not Change.objects.waiting().exists()
    text = text_of(signed_in(client, people["publisher"]).get(QUEUE))
    assert "0 changes" in text


def test_a_publisher_approves_and_the_approval_is_kept(client, people, figure):
    change = edited_by(people["editor"], figure, minimum=2, maximum=2)
    page = act(signed_in(client, people["publisher"]), "approve", change)
    assert "1 change approved." in text_of(page)
    review = Review.objects.get(change=change)
    assert (review.verdict, review.reviewer) == (ReviewVerdict.APPROVED, people["publisher"])
    assert not Change.objects.waiting().exists()
    assert "Approved by paul" in text_of(client.get(QUEUE + "?review=approved"))
    assert review.history.get().history_user == people["publisher"]


def test_nobody_approves_their_own_change(client, people, figure):
    change = edited_by(people["publisher"], figure, minimum=2, maximum=2)
    page = act(signed_in(client, people["publisher"]), "approve", change)
    assert "your own change; another publisher approves it" in text_of(page)
    assert Change.objects.waiting().get() == change
    act(signed_in(client, people["other publisher"]), "approve", change)
    assert Review.objects.get(change=change).reviewer == people["other publisher"]


def test_an_editor_reads_the_queue_but_cannot_approve(client, people, figure):
    change = edited_by(people["editor"], figure, minimum=2, maximum=2)
    editor = signed_in(client, people["editor"])
    page = editor.get(QUEUE)
    assert page.status_code == 200
    assert "Approve the selected changes" not in page.content.decode()
    act(editor, "approve", change)
    act(editor, "undo", change)
    assert Change.objects.waiting().get() == change


def test_undoing_restores_the_value_on_the_site(client, people, figure):
    change = edited_by(people["editor"], figure, minimum=2, maximum=2)
    page = act(signed_in(client, people["publisher"]), "undo", change)
    assert "1 change undone." in text_of(page)
    figure.refresh_from_db()
    assert (figure.minimum, figure.maximum) == (5, 5)
    assert Review.objects.get(change=change).verdict == ReviewVerdict.UNDONE
    # The undoing is a change like any other: public, by the publisher, waiting in turn.
    undoing = Change.objects.waiting().get()
    assert undoing.text == "Processing time changed from 2 days to 5 days"
    assert undoing.user == people["publisher"]
    route_page = client.get(figure.route.get_absolute_url())
    assert "5 days" in text_of(route_page)
    assert "Undone by paul" in text_of(client.get(QUEUE + "?review=undone"))


def test_undoing_an_addition_removes_the_row_and_a_removal_brings_it_back(client, people):
    route = RouteFactory(status=RouteStatus.PUBLISHED)
    question = QuestionFactory.build(
        route=route, question="Can I bring my family?", source=SourceFactory()
    )
    question._history_user = people["editor"]
    question.save()
    added = Change.objects.get(text="Question added: Can I bring my family?")
    act(signed_in(client, people["publisher"]), "undo", added)
    assert not route.questions.exists()

    kept = QuestionFactory(route=route, question="How long does it take?")
    kept._history_user = people["editor"]
    kept.delete()
    removed = Change.objects.get(text="Question removed: How long does it take?")
    act(client, "undo", removed)
    assert route.questions.get().question == "How long does it take?"


def test_a_change_overtaken_by_a_later_one_is_not_undone(client, people, figure):
    first = edited_by(people["editor"], figure, minimum=2, maximum=2)
    edited_by(people["editor"], Fact.objects.get(pk=figure.pk), minimum=3, maximum=3)
    page = act(signed_in(client, people["publisher"]), "undo", first)
    assert "the row was changed again since: undo the later change first" in text_of(page)
    figure.refresh_from_db()
    assert figure.minimum == 3
    assert not Review.objects.exists()


def test_withdrawing_an_approval_puts_the_change_back_and_keeps_the_record(client, people, figure):
    change = edited_by(people["editor"], figure, minimum=2, maximum=2)
    publisher = signed_in(client, people["publisher"])
    act(publisher, "approve", change)
    page = act(publisher, "withdraw_approval", change)
    assert "1 change back in the queue." in text_of(page)
    assert Change.objects.waiting().get() == change
    kinds = list(Review.history.order_by("history_id").values_list("history_type", flat=True))
    assert kinds == ["+", "-"]


def test_the_admin_home_says_how_many_changes_wait(client, people, figure):
    home = signed_in(client, people["editor"]).get("/admin/")
    assert "No change to a published route is waiting for review." in text_of(home)
    edited_by(people["editor"], figure, minimum=2, maximum=2)
    home = client.get("/admin/")
    assert "1 change to published routes waiting for review" in text_of(home)


@pytest.mark.parametrize("size", [1, 12])
def test_the_queue_reads_a_fixed_number_of_queries(client, people, django_assert_num_queries, size):
    for index in range(size):
        row = FigureFactory(minimum=5, maximum=5, unit="days", route__status=RouteStatus.PUBLISHED)
        change = edited_by(people["editor"], row, minimum=index + 1, maximum=index + 1)
        if index % 2:
            Review.objects.create(
                change=change,
                verdict=ReviewVerdict.APPROVED,
                reviewer=people["other publisher"],
                reviewed_at=change.when,
            )
    publisher = signed_in(client, people["publisher"])
    with django_assert_num_queries(8):
        page = publisher.get(QUEUE)
    assert page.status_code == 200
    assert Route.objects.count() == size


def test_the_route_history_lists_each_review(client, people, figure):
    change = edited_by(people["editor"], figure, minimum=2, maximum=2)
    publisher = signed_in(client, people["publisher"])
    act(publisher, "approve", change)
    act(publisher, "withdraw_approval", change)
    text = text_of(publisher.get(f"/admin/routes/route/{figure.route_id}/history/"))
    assert "Reviews of these changes" in text
    assert "paul Approval withdrawn Processing time changed from 5 days to 2 days" in text
    assert "paul Approved Processing time changed from 5 days to 2 days" in text


def test_a_source_edit_waits_once_and_undoing_restores_the_quote(client, people, figure):
    source = figure.source
    old_quote = source.quote
    edited_by(people["editor"], source, quote="The permit is issued within two days.")
    change = Change.objects.waiting().get()
    assert change.route is None
    assert change.text == f"Source “{source.title}”: quote changed"
    page = signed_in(client, people["publisher"]).get(QUEUE)
    assert "a source (every route citing it)" in text_of(page)
    assert f"/admin/routes/source/{source.pk}/history/" in page.content.decode()
    assert "1 change undone." in text_of(act(client, "undo", change))
    source.refresh_from_db()
    assert source.quote == old_quote


def test_verifying_or_editing_an_uncited_source_does_not_wait(people, figure):
    edited_by(people["publisher"], figure.source, verified_on=figure.source.page_date)
    uncited = SourceFactory()
    edited_by(people["editor"], uncited, quote="Anything at all.")
    assert not Change.objects.waiting().exists()
    assert not Change.objects.filter(kind="source", public=True).exists()
