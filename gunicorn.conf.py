"""gunicorn reads this file from the working directory; the command line adds to it."""

from config.env import env_bool
from config.serving import gunicorn_hosts, refuse_debug_on_network


def on_starting(server):
    # Same rule as manage.py runserver: the debug mode is not served to the network by accident.
    refuse_debug_on_network(
        gunicorn_hosts(server.cfg.bind),
        debug=env_bool("DEBUG", False),
        allowed=env_bool("ALLOW_DEBUG_ON_NETWORK", False),
    )
