from typing import Any

from django.db import connections, migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from maillon.beneficiaries.matching import search_key

BATCH_SIZE = 2000


def fill_search_keys(beneficiary_model: Any, *, batch_size: int = BATCH_SIZE) -> int:
    """Compute the key of every file with a name or an e-mail, by batches of primary keys (the
    anonymous and anonymised ones keep the empty default). Returns the number of files keyed;
    running it twice changes nothing."""
    named = beneficiary_model.objects.exclude(first_name="", last_name="", email="")
    meta, quote = beneficiary_model._meta, connections[named.db].ops.quote_name
    update = (
        f"UPDATE {quote(meta.db_table)} SET {quote(meta.get_field('search_key').column)} = %s "  # noqa: S608 — names from the model, values bound
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    last_pk, keyed = 0, 0
    while True:
        rows = list(
            named.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "first_name", "last_name", "email", "search_key")[:batch_size]
        )
        if not rows:
            return keyed
        changed = []
        for pk, first_name, last_name, email, stored in rows:
            key = search_key(first_name, last_name, email)
            if key != stored:
                changed.append((key, pk))
        if changed:
            # One prepared UPDATE per row: 0.6 s for 55,000 files on SQLite, against 11 s for
            # bulk_update's CASE.
            with connections[named.db].cursor() as cursor:
                cursor.executemany(update, changed)
        keyed += len(changed)
        last_pk = rows[-1][0]


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    fill_search_keys(apps.get_model("beneficiaries", "Beneficiary"))


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0003_autonomy_trend"),
    ]

    operations = [
        migrations.AddField(
            model_name="beneficiary",
            name="search_key",
            field=models.TextField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                verbose_name="clé de recherche",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
