from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _keep_event_guard(sender, using, **kwargs):
    # Some schema changes rebuild a table (SQLite copies it and drops the old one, and its
    # triggers with it), so the append-only triggers are put back after every migrate.
    from django.db import connections

    from complaints.models.event_guard import event_table_is_chained, install_event_guard

    connection = connections[using]
    if connection.vendor in ("postgresql", "sqlite") and event_table_is_chained(connection):
        install_event_guard(connection)


def _keep_next_due_triggers(sender, using, **kwargs):
    """The triggers keeping each case's next due date, restored after a migration rebuilt the table."""
    from django.db import connections

    from complaints.models.next_due_guard import keep_next_due_triggers

    connection = connections[using]
    if connection.vendor in ("postgresql", "sqlite") and "next_due_on" in {
        column.name for column in connection.introspection.get_table_description(connection.cursor(), "complaints_case")
    }:
        keep_next_due_triggers(connection)


def _apply_roles(sender, using="default", **kwargs):
    from complaints.roles import roles_apply

    try:
        roles_apply()
    except LookupError:
        # Migrating to an earlier state: the permissions the roles use do not exist yet. The
        # roles are applied by the migrate that reaches them (or `manage.py apply_roles`).
        pass


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "Complaints and cases"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        import config.checks  # noqa: F401  (registers the deployment checks)
        from complaints.views.officer.signin import log_sign_out

        user_logged_out.connect(log_sign_out, dispatch_uid="complaints.log_sign_out")
        post_migrate.connect(_keep_event_guard, sender=self, dispatch_uid="complaints_keep_event_guard")
        post_migrate.connect(_keep_next_due_triggers, sender=self, dispatch_uid="complaints_keep_next_due_triggers")
        # After every migrate the role groups are brought in line with complaints/roles.py. The
        # handler is connected to this app's signal only, which is sent after the permissions
        # of every installed app have been created.
        post_migrate.connect(_apply_roles, sender=self, dispatch_uid="complaints.roles_apply")
