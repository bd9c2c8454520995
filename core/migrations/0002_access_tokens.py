"""One token model for every API, with a scope: the results API's personal tokens and the pulse's
ingest tokens are copied in by honeycomb 0010 and pulse 0010, which then drop their own models."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, verbose_name='name')),
                ('token_hash', models.CharField(max_length=64)),
                ('scope', models.CharField(choices=[('results:read', 'Read results'), ('pulse:events', 'Send pulse events')], max_length=40, verbose_name='scope')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('expires_at', models.DateTimeField(verbose_name='expires')),
                ('last_used_at', models.DateTimeField(blank=True, null=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.organisation', verbose_name='organisation')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='access_tokens', to=settings.AUTH_USER_MODEL, verbose_name='person')),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(fields=('token_hash',), name='access_token_hash_unique'), models.CheckConstraint(condition=models.Q(models.Q(('organisation__isnull', True), ('scope__in', ('results:read',)), ('user__isnull', False)), models.Q(('organisation__isnull', False), ('scope__in', ('pulse:events',)), ('user__isnull', True)), _connector='OR'), name='access_token_owner_fits_scope')],
            },
        ),
    ]
