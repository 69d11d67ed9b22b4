#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    if len(sys.argv) > 1 and sys.argv[1] == "runserver":
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from config.serving import refuse_debug_on_network, runserver_host

        try:
            refuse_debug_on_network(
                [runserver_host(sys.argv[2:])], debug=settings.DEBUG, allowed=settings.ALLOW_DEBUG_ON_NETWORK
            )
        except ImproperlyConfigured as refusal:
            sys.stderr.write(f"Refusing to start: {refusal}\n")
            sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
