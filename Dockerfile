# Production image: gunicorn for the web app; the same image runs the Celery
# worker, Celery beat and the migrate job (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext compiles the translations; fonts, HarfBuzz and Pango are for WeasyPrint (PDFs).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        gettext \
        fonts-liberation \
        libharfbuzz-subset0 \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt

COPY . .

# Compiled translations (*.mo are not in git) and the static files.
# collectstatic runs with the production settings, so that the hashed
# manifest (staticfiles.json) exists that production's storage requires.
# The SECRET_KEY here is a throwaway for this one command; it is not in the image.
RUN APP_ENV=development python manage.py compilemessages -v 0 \
    && APP_ENV=production \
       SECRET_KEY=build-time-only-collectstatic-key-not-used-at-run-time-0000 \
       DATABASE_URL=postgres://build@127.0.0.1/none REDIS_URL=redis://127.0.0.1:6379/0 ALLOWED_HOSTS=build.invalid \
       python manage.py collectstatic --no-input -v 0

# Run as an unprivileged user. Only the media directory (a volume in
# docker-compose.yml) is writable by it; code and static files are not.
RUN useradd --create-home --uid 10001 --user-group casusregie \
    && mkdir -p /app/var/media \
    && chown casusregie:casusregie /app/var/media
USER casusregie

ENV APP_ENV=production \
    MEDIA_ROOT=/app/var/media

EXPOSE 8000

CMD ["gunicorn", "socialdomain.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--no-control-socket"]
