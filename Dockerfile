# Production image: gunicorn serving the web app; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango and HarfBuzz; fonts for the certificate PDFs ship in the repository (static/fonts).
# postgresql-client (15 on bookworm, as the server) gives `manage.py backup` and `restore` pg_dump and pg_restore.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

COPY . .
RUN DEBUG=False SECRET_KEY=build-only-not-secret-build-only-not-secret-build-only ALLOWED_HOSTS=build \
    python manage.py compiletranslations \
 && DEBUG=False SECRET_KEY=build-only-not-secret-build-only-not-secret-build-only ALLOWED_HOSTS=build \
    python manage.py collectstatic --no-input \
 && useradd --system --uid 10001 halalmsi && mkdir -p /app/media && chown -R halalmsi /app/media

USER halalmsi
EXPOSE 8000
# The same options as docker-compose.yml's web service (requests are logged by the app, as JSON with their id).
CMD ["gunicorn", "halalmsi.wsgi:application", "--config=deploy/gunicorn.conf.py", "--bind=0.0.0.0:8000", "--workers=3", \
     "--timeout=120", "--graceful-timeout=30", "--max-requests=1000", "--max-requests-jitter=100"]
