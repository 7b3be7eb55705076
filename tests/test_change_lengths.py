"""No edit the admin accepts is lost to a length limit on what the site derives from it.

A save of a route or of a row on it also writes the change in words, and a
new slug writes the moved addresses, in the same transaction: a limit on
that derived text would fail the editor's save. PostgreSQL enforces lengths
and SQLite does not, so these tests run on PostgreSQL only.
"""

import pytest
from django.core.validators import MaxLengthValidator
from django.db import connection, models, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routes.models import Change, OldAddress

from .factories import (
    DocumentFactory,
    FeeFactory,
    FigureFactory,
    QuestionFactory,
    RequirementFactory,
    RouteFactory,
    SourceFactory,
    StepFactory,
)
from .helpers import form_data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="only PostgreSQL enforces lengths"
    ),
]

# A text field the admin takes at any length: long enough to pass any fixed limit.
UNBOUNDED = 5000
# Fact fields the model's clean reads against fixed lists (units, country codes).
LISTED = {"unit", "countries"}
TEXT = st.characters(exclude_categories=("Cs", "Cc"))
SLUG = "abcdefghijklmnopqrstuvwxyz0123456789-"
URL_PATH = "abcdefghijklmnopqrstuvwxyz0123456789-_/"
HTTPS = "https://www.gov.example/"


def filled(length, alphabet, prefix=""):
    """Values of exactly ``length`` characters: a drawn piece, repeated."""
    piece = st.text(alphabet, min_size=1, max_size=12)
    return piece.map(lambda p: prefix + (p * length)[: length - len(prefix)])


def longest(field):
    """The longest values the admin accepts in ``field``, or None to leave it alone."""
    if field.choices or field.name in LISTED:
        return None
    if isinstance(field, models.URLField):
        return filled(field.max_length, URL_PATH, prefix=HTTPS)
    if isinstance(field, models.SlugField):
        return filled(field.max_length, SLUG)
    free = all(isinstance(v, MaxLengthValidator) for v in field.validators)
    if type(field) in (models.CharField, models.TextField) and free:
        return filled(field.max_length or UNBOUNDED, TEXT)
    return None


def save_longest(instance, draw):
    for field in type(instance)._meta.concrete_fields:
        values = longest(field)
        if values is not None:
            setattr(instance, field.attname, draw(values))
    instance.save()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_longest_values_of_every_field_save_change_and_delete(db, data):
    with transaction.atomic():
        route = RouteFactory()
        # Read via a copy (its fields are filled too): then it has no verification date.
        fee = FeeFactory(route=route, source=SourceFactory(verified_on=None))
        rows = [
            fee,
            FigureFactory(route=route, source=fee.source),
            RequirementFactory(route=route, source=fee.source, text="Detail"),
            DocumentFactory(route=route, source=fee.source),
            StepFactory(route=route),
            QuestionFactory(route=route, source=fee.source),
        ]
        everything = [route.country, route.category, fee.source, route, *rows]
        for _ in range(2):  # added with short values, changed to long ones, then to others
            for instance in everything:
                save_longest(instance, data.draw)
        for row in rows:
            row.delete()
        kinds = set(Change.objects.filter(route=route).values_list("kind", flat=True))
        assert kinds == {"route", "fact", "document", "step", "question"}
        assert OldAddress.objects.filter(new_path=route.get_absolute_url()).exists()
        transaction.set_rollback(True)


def edit(admin_client, instance, **values):
    change = f"/admin/routes/{instance._meta.model_name}/{instance.pk}/change/"
    response = admin_client.post(change, form_data(admin_client.get(change)) | values)
    assert response.status_code == 302
    return Change.objects.filter(route=instance.route).first().text


def test_a_long_question_changed_into_another_is_kept_in_full(admin_client):
    old, new = "Can I " + "q" * 284, "May I " + "w" * 294
    question = QuestionFactory(question=old)
    assert edit(admin_client, question, question=new) == f"Question changed from “{old}” to “{new}”"


def test_a_long_document_name_doubled_is_kept_in_full(admin_client):
    old = "Certified copy " + "d" * 346
    document = DocumentFactory(name=old)
    said = edit(admin_client, document, name=old * 2)
    assert said == f"Document changed from “{old}” to “{old * 2}”"
