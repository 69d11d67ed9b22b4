# Standards Desk: one image for the web (gunicorn), the Celery worker and Celery beat.

# --- Stage 1: compile the GOV.UK Design System with the council's font stack and colour.
FROM node:20-slim AS assets
WORKDIR /src
# The colour is baked into the CSS, so it is a build argument as well as a runtime setting.
ARG COUNCIL_COLOUR=#0b5c4b
ENV COUNCIL_COLOUR=${COUNCIL_COLOUR}
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts ./scripts
COPY static ./static
RUN npm run build

# --- Stage 2: the Python application.
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var \
    PRIVATE_STORAGE_ROOT=/data/private \
    WEB_CONCURRENCY=3

# WeasyPrint's system libraries (PDF letters and reports) and a font it can always find.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

# Code stays owned by root so the running process cannot rewrite it.
COPY . .
COPY --from=assets /src/build/static ./build/static

# Static files are collected once, at build time; the key is a throwaway that never runs anything.
RUN SECRET_KEY=collectstatic-only-not-a-real-secret-0123456789abcdefghijklmnop DEBUG=0 python manage.py collectstatic --noinput \
    && mkdir -p /app/var /data/private \
    && chown app:app /app/var /data/private \
    && chmod 0750 /data/private

USER app
EXPOSE 8000

# Workers come from WEB_CONCURRENCY (gunicorn reads it); uploads of several 10 MB files need
# more than gunicorn's default 30 s on a slow connection.
CMD ["gunicorn", "config.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--timeout", "60", \
     "--graceful-timeout", "30", \
     "--max-requests", "1000", \
     "--max-requests-jitter", "100", \
     "--worker-tmp-dir", "/dev/shm", \
     "--access-logfile", "-"]
