"""The one record the site-wide plumbing keeps: when content last changed."""

import datetime

from django.db import models

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class ContentStamp(models.Model):
    """The moment any content last changed, as microseconds since 1970 (one row, pk 1).

    A whole number, so that the database can move it forwards in one step
    and a request reads it without converting anything (``freshness``).
    """

    moment = models.BigIntegerField()

    def __str__(self):
        return as_datetime(self.moment).isoformat()


def as_datetime(moment):
    return EPOCH + datetime.timedelta(microseconds=moment)


def as_moment(when):
    return (when - EPOCH) // datetime.timedelta(microseconds=1)
