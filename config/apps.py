from django.contrib.admin.apps import AdminConfig


class StandardsAdminConfig(AdminConfig):
    """The Django admin, served by the site that asks for two-factor sign-in (config/admin_site.py)."""

    default_site = "config.admin_site.StandardsAdminSite"
