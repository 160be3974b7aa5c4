from django.db import migrations


def load(apps, schema_editor):
    from cordee.core.geography import municipalities_load

    municipalities_load(apps.get_model("core", "Municipality"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
