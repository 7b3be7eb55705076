"""Small pieces of the admin's sign-in protection."""

from django.contrib.auth import get_user_model


def login_username(request, credentials):
    """The username a sign-in attempt used, cut to the longest a username can be.

    django-axes records failed attempts by username; a typed "username" longer
    than its column must not turn a failed sign-in into a database error.
    """
    field = get_user_model().USERNAME_FIELD
    value = (credentials or {}).get(field) or request.POST.get(field, "")
    return str(value)[: get_user_model()._meta.get_field(field).max_length]
