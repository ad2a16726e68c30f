"""Let the admin role manage fee schedules in the admin site (DESIGN.md: admin = fee schedules, quotas, ...)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMIN_ROLE = "admin"  # core.access.roles.ADMIN; literal here so the migration does not change if the module does
MODELS = ["feeschedule", "feetier"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create ours now so they can be granted.
    app_config = apps.get_app_config("fees")
    stub = getattr(app_config, "models_module", None) is None
    if stub:  # create_permissions skips app configs without a models module; a migration's stub has none
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    if stub:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=ADMIN_ROLE)
    codenames = [f"{action}_{model}" for model in MODELS for action in ("view", "add", "change", "delete")]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="fees", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=ADMIN_ROLE):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="fees"))


class Migration(migrations.Migration):
    dependencies = [
        ("fees", "0002_seed_schedules"),
        ("core", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
