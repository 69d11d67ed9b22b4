"""gunicorn reads this file from the working directory; the command line adds to it."""

from config.env import env_bool, env_int
from config.serving import gunicorn_hosts, refuse_debug_on_network

# Threads, so a worker busy checking an uploaded file still answers other pages: each worker
# checks one file at a time (complaints/services/evidence_files.py), and its other threads serve
# the start page and the rest while uploads queue. Memory stays that of one check per worker.
worker_class = "gthread"
threads = env_int("WEB_THREADS", 8, minimum=1)


def on_starting(server):
    # Same rule as manage.py runserver: the debug mode is not served to the network by accident.
    refuse_debug_on_network(
        gunicorn_hosts(server.cfg.bind),
        debug=env_bool("DEBUG", False),
        allowed=env_bool("ALLOW_DEBUG_ON_NETWORK", False),
    )
