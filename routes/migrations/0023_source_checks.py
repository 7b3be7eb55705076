"""Checks of sources: one row per fetch of a cited page, with its history.

A check is recorded beside its source and never saves it: nothing public
changes when a page is checked (see routes/models/checks.py).
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('routes', '0022_change_text_and_loaded_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalSourceCheck',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('checked_at', models.DateTimeField(verbose_name='checked at')),
                ('address', models.URLField(help_text="The address fetched: the source's, or its copy's when the quote was read in a copy.", max_length=500, verbose_name='address checked')),
                ('via_copy', models.BooleanField(default=False, help_text="The quote was read in a copy or transcription, so the copy's page was checked.", verbose_name="at the copy's address")),
                ('http_status', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='HTTP status')),
                ('final_address', models.URLField(blank=True, help_text='Where the last redirect ended (the address itself without one); empty without an answer.', max_length=2000, verbose_name='final address')),
                ('redirects', models.TextField(blank=True, help_text='Each redirect followed, one a line: its status and where it sent.')),
                ('error', models.CharField(blank=True, help_text='Why the page could not be read: timeout, connection refused, too large, not text, ...', max_length=200)),
                ('quote_found', models.BooleanField(blank=True, help_text='Empty: could not tell (the page was not read, or the quote is empty).', null=True)),
                ('fingerprint', models.CharField(blank=True, help_text="SHA-256 of the page's text, normalised: tells a changed page from the same one.", max_length=64)),
                ('outcome', models.CharField(choices=[('ok', 'OK'), ('quote_missing', 'Quote missing'), ('page_changed', 'Page changed'), ('moved', 'Moved'), ('gone', 'Gone'), ('unreachable', 'Unreachable')], max_length=16)),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('acknowledged_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('source', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='routes.source')),
            ],
            options={
                'verbose_name': 'historical source check',
                'verbose_name_plural': 'historical source checks',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='SourceCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('checked_at', models.DateTimeField(verbose_name='checked at')),
                ('address', models.URLField(help_text="The address fetched: the source's, or its copy's when the quote was read in a copy.", max_length=500, verbose_name='address checked')),
                ('via_copy', models.BooleanField(default=False, help_text="The quote was read in a copy or transcription, so the copy's page was checked.", verbose_name="at the copy's address")),
                ('http_status', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='HTTP status')),
                ('final_address', models.URLField(blank=True, help_text='Where the last redirect ended (the address itself without one); empty without an answer.', max_length=2000, verbose_name='final address')),
                ('redirects', models.TextField(blank=True, help_text='Each redirect followed, one a line: its status and where it sent.')),
                ('error', models.CharField(blank=True, help_text='Why the page could not be read: timeout, connection refused, too large, not text, ...', max_length=200)),
                ('quote_found', models.BooleanField(blank=True, help_text='Empty: could not tell (the page was not read, or the quote is empty).', null=True)),
                ('fingerprint', models.CharField(blank=True, help_text="SHA-256 of the page's text, normalised: tells a changed page from the same one.", max_length=64)),
                ('outcome', models.CharField(choices=[('ok', 'OK'), ('quote_missing', 'Quote missing'), ('page_changed', 'Page changed'), ('moved', 'Moved'), ('gone', 'Gone'), ('unreachable', 'Unreachable')], max_length=16)),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True)),
                ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='acknowledged_checks', to=settings.AUTH_USER_MODEL)),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checks', to='routes.source')),
            ],
            options={
                'ordering': ['-checked_at', '-id'],
                'get_latest_by': ['checked_at', 'id'],
                'indexes': [models.Index(fields=['source', '-checked_at', '-id'], name='sourcecheck_newest_first')],
                'constraints': [models.CheckConstraint(condition=models.Q(('outcome__in', ['ok', 'quote_missing', 'page_changed', 'moved', 'gone', 'unreachable'])), name='sourcecheck_outcome_known', violation_error_message='This is not a known outcome of a check.'), models.CheckConstraint(condition=models.Q(models.Q(('outcome__in', ['gone', 'unreachable']), ('quote_found__isnull', True)), models.Q(('outcome', 'quote_missing'), ('quote_found', False)), models.Q(('outcome', 'quote_missing'), ('quote_found__isnull', True)), models.Q(('outcome__in', ['ok', 'moved', 'page_changed']), ('quote_found', True)), models.Q(('outcome__in', ['ok', 'moved', 'page_changed']), ('quote_found__isnull', True)), _connector='OR'), name='sourcecheck_quote_finding_fits_outcome', violation_error_message="The quote's finding does not fit the outcome: a page not read has none, a missing quote was not found, and the others found it."), models.CheckConstraint(condition=models.Q(('acknowledged_by__isnull', True), ('acknowledged_at__isnull', False), _connector='OR'), name='sourcecheck_acknowledged_with_its_moment', violation_error_message='An acknowledged check needs the moment it was acknowledged.')],
            },
        ),
    ]
