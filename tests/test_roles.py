"""Roles: Editors write content, Publishers also publish and verify; no one does more than allowed."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from routes.models import ErrorReport, ReportStatus, Route, Source

from .factories import FactFactory, RouteFactory, SourceFactory
from .helpers import form_data, text_of
from .test_admin import route_form

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2024, 1, 15)
TODAY = timezone.localdate()
VIEW_ONLY = ["view_source", "view_route", "view_errorreport"]


@pytest.fixture
def staff(client, django_user_model):
    """Sign in a staff member in a group, or with only the named permissions."""

    def sign_in(group=None, permissions=()):
        user = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
        if group:
            user.groups.add(Group.objects.get(name=group))
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label="routes", codename__in=permissions)
        )
        client.force_login(user)
        return client

    return sign_in


def verify(client, changelist, pk):
    return client.post(changelist, {"action": "mark_sources_verified", "_selected_action": [pk]})


def test_the_roles_exist_with_their_rights():
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    publisher = set(
        Group.objects.get(name="Publisher").permissions.values_list("codename", flat=True)
    )
    assert {"add_route", "change_route", "change_requirement", "change_source"} <= editor
    assert {"publish_route", "verify_source"}.isdisjoint(editor)
    assert publisher == editor | {"publish_route", "verify_source"}


# ---------------------------------------------------------------------------
# Marking sources verified


@pytest.mark.parametrize(
    ("who", "changelist", "verified"),
    [
        ({"permissions": VIEW_ONLY}, "/admin/routes/source/", False),
        ({"permissions": VIEW_ONLY}, "/admin/routes/route/", False),
        ({"group": "Editor"}, "/admin/routes/source/", False),
        ({"group": "Editor"}, "/admin/routes/route/", False),
        ({"group": "Publisher"}, "/admin/routes/source/", True),
        ({"group": "Publisher"}, "/admin/routes/route/", True),
    ],
)
def test_only_publishers_mark_sources_verified(client, staff, who, changelist, verified):
    fact = FactFactory(source=SourceFactory(verified_on=LONG_AGO))
    page = staff(**who).get(changelist).content.decode()
    assert ("Mark sources verified today" in page) is verified
    pk = fact.source_id if "source" in changelist else fact.route_id
    verify(client, changelist, pk)
    fact.source.refresh_from_db()
    assert fact.source.verified_on == (TODAY if verified else LONG_AGO)
    public = text_of(client.get(fact.route.get_absolute_url()))
    assert (f"Last verified {LONG_AGO:%-d %B %Y}." in public) is not verified


def test_an_editor_cannot_change_a_verification_date_in_the_source_form(staff):
    source = SourceFactory(verified_on=LONG_AGO)
    editor = staff(group="Editor")
    url = f"/admin/routes/source/{source.pk}/change/"
    data = form_data(editor.get(url))
    assert "verified_on" not in data
    response = editor.post(url, data | {"verified_on": TODAY.isoformat(), "title": "New title"})
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.title, source.verified_on) == ("New title", LONG_AGO)


def test_an_editor_cannot_mark_a_verified_source_read_via_a_copy(staff):
    source = SourceFactory(verified_on=LONG_AGO)
    editor = staff(group="Editor")
    url = f"/admin/routes/source/{source.pk}/change/"
    data = form_data(editor.get(url)) | {
        "via_publisher": "A copy",
        "via_url": "https://copy.example.com/page",
    }
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "This source is marked verified, and a page read via a copy cannot be" in (
        text_of(response)
    )
    source.refresh_from_db()
    assert source.via_publisher == ""


def test_an_editor_cannot_change_a_verification_date_by_reverting(staff):
    source = SourceFactory(verified_on=LONG_AGO)
    older = source.history.latest("history_date")
    source.verified_on = TODAY
    source.save()
    editor = staff(group="Editor")
    url = f"/admin/routes/source/{source.pk}/history/{older.history_id}/"
    response = editor.post(url, form_data(editor.get(url)))
    assert "Only a publisher can change the day a source was verified." in text_of(response)
    source.refresh_from_db()
    assert source.verified_on == TODAY


def test_a_publisher_sets_a_verification_date_in_the_source_form(staff):
    source = SourceFactory(verified_on=None)
    publisher = staff(group="Publisher")
    url = f"/admin/routes/source/{source.pk}/change/"
    data = form_data(publisher.get(url)) | {"verified_on": LONG_AGO.isoformat()}
    assert publisher.post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.verified_on == LONG_AGO


# ---------------------------------------------------------------------------
# Publishing


@pytest.fixture
def parts(db):
    from .factories import CategoryFactory, CountryFactory

    return CountryFactory(code="CA", name="Canada"), CategoryFactory(), SourceFactory()


def test_an_editor_adds_a_draft_but_cannot_publish_it(staff, parts):
    editor = staff(group="Editor")
    response = editor.post("/admin/routes/route/add/", route_form(*parts))
    assert response.status_code == 200
    assert "Only a publisher can publish a route" in text_of(response)
    assert not Route.objects.exists()
    response = editor.post("/admin/routes/route/add/", route_form(*parts, status="draft"))
    assert response.status_code == 302
    route = Route.objects.get()
    assert route.status == "draft"
    assert editor.get(route.get_absolute_url()).status_code == 200  # the preview
    url = f"/admin/routes/route/{route.pk}/change/"
    response = editor.post(url, form_data(editor.get(url)) | {"status": "published"})
    assert "Only a publisher can publish a route" in text_of(response)
    route.refresh_from_db()
    assert route.status == "draft"


def test_a_publisher_publishes(client, staff, parts):
    publisher = staff(group="Publisher")
    assert publisher.post("/admin/routes/route/add/", route_form(*parts)).status_code == 302
    route = Route.objects.get()
    assert route.status == "published"
    client.logout()
    assert client.get(route.get_absolute_url()).status_code == 200


def test_an_editor_edits_a_published_route_but_cannot_unpublish_it(staff):
    route = FactFactory(source=SourceFactory()).route
    editor = staff(group="Editor")
    url = f"/admin/routes/route/{route.pk}/change/"
    data = form_data(editor.get(url))
    assert editor.post(url, data | {"summary": "For nurses."}).status_code == 302
    route.refresh_from_db()
    assert (route.summary, route.status) == ("For nurses.", "published")
    response = editor.post(url, data | {"status": "draft"})
    assert "Only a publisher can take a published route off the site." in text_of(response)
    route.refresh_from_db()
    assert route.status == "published"


def test_an_editor_cannot_publish_by_reverting_to_a_published_version(staff):
    route = RouteFactory(status="published")
    published = route.history.latest("history_date")
    route.status = "draft"
    route.save()
    editor = staff(group="Editor")
    url = f"/admin/routes/route/{route.pk}/history/{published.history_id}/"
    response = editor.post(url, form_data(editor.get(url)))
    assert "Only a publisher can publish a route" in text_of(response)
    route.refresh_from_db()
    assert route.status == "draft"


# ---------------------------------------------------------------------------
# Deleting


def test_an_editor_deletes_a_draft_but_not_a_published_route(staff):
    draft, published = RouteFactory(status="draft"), RouteFactory(status="published")
    editor = staff(group="Editor")
    assert editor.get(f"/admin/routes/route/{published.pk}/delete/").status_code == 403
    response = editor.post(f"/admin/routes/route/{published.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    response = editor.post(
        "/admin/routes/route/",
        {"action": "delete_selected", "_selected_action": [published.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Route.objects.filter(pk=published.pk).exists()
    response = editor.post(f"/admin/routes/route/{draft.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Route.objects.filter(pk=draft.pk).exists()


def test_a_publisher_deletes_a_published_route(staff):
    published = RouteFactory(status="published")
    publisher = staff(group="Publisher")
    response = publisher.post(f"/admin/routes/route/{published.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Route.objects.filter(pk=published.pk).exists()


# ---------------------------------------------------------------------------
# Error reports


@pytest.mark.parametrize(
    ("who", "resolved"),
    [
        ({"permissions": VIEW_ONLY}, False),
        ({"group": "Editor"}, True),
        ({"group": "Publisher"}, True),
    ],
)
def test_resolving_error_reports_needs_the_right_to_change_them(staff, who, resolved):
    report = ErrorReport.objects.create(route=RouteFactory(), message="The fee is wrong.")
    signed_in = staff(**who)
    page = signed_in.get("/admin/routes/errorreport/").content.decode()
    assert ("Mark as resolved" in page) is resolved
    signed_in.post(
        "/admin/routes/errorreport/",
        {"action": "mark_resolved", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert (report.status == ReportStatus.RESOLVED) is resolved


# ---------------------------------------------------------------------------
# Drafts and the review list


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ({}, False),
        ({"permissions": ["view_source", "view_errorreport"]}, False),
        ({"permissions": ["view_route"]}, True),
        ({"group": "Editor"}, True),
        ({"group": "Publisher"}, True),
    ],
)
def test_drafts_and_the_review_list_need_the_right_to_see_routes(staff, who, allowed):
    draft = RouteFactory(status="draft", official_name="Upcoming permit")
    FactFactory(source=SourceFactory(verified_on=None))
    signed_in = staff(**who)
    assert signed_in.get(draft.get_absolute_url()).status_code == (200 if allowed else 404)
    assert signed_in.get("/admin/routes/route/review/").status_code == (200 if allowed else 403)
    index = text_of(signed_in.get("/admin/"))
    assert ("1 published route to re-verify" in index) is allowed


def test_view_only_staff_cannot_change_a_source(staff):
    source = SourceFactory(verified_on=LONG_AGO, title="Old title")
    viewer = staff(permissions=VIEW_ONLY)
    url = f"/admin/routes/source/{source.pk}/change/"
    assert viewer.get(url).status_code == 200
    route = RouteFactory()
    assert viewer.get(f"/admin/routes/route/{route.pk}/change/").status_code == 200
    assert viewer.post(url, {"title": "New title"}).status_code == 403
    assert Source.objects.get(pk=source.pk).title == "Old title"
