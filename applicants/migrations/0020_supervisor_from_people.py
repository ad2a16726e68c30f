"""One supervisor, one place: a business whose halal supervisor is recorded with its people takes that person's name
in its supervisor field (the field is derived from the person record from now on; applicants.dossier.person_save)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def derive(apps, schema_editor):  # type: ignore[no-untyped-def]
    Business = apps.get_model("applicants", "Business")
    Person = apps.get_model("applicants", "Person")
    supervisor = Person.objects.filter(business=OuterRef("pk"), role="supervisor").values("name")[:1]
    with_person = Business.objects.filter(people__role="supervisor")
    with_person.exclude(halal_supervisor=Subquery(supervisor)).update(halal_supervisor=Subquery(supervisor))


class Migration(migrations.Migration):
    dependencies = [("applicants", "0019_positive_list_names_in_indonesian")]

    operations = [migrations.RunPython(derive, migrations.RunPython.noop, elidable=True)]
