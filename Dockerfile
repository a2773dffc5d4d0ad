# Doorstep for production: one image for the web server, the Celery worker and beat.
# The CSS is built with Node in a first stage; the running image has Python only.

FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/scss static/scss
RUN npm run build

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var
WORKDIR /app

# Production packages only, each checked against its pinned hash.
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt

COPY . .
COPY --from=assets /build/node_modules/govuk-frontend/dist node_modules/govuk-frontend/dist
COPY --from=assets /build/static/build static/build

# Static files are collected into the image and served by WhiteNoise. Collecting needs settings,
# and settings need a key: a throwaway one, used for nothing else.
RUN SECRET_KEY=collectstatic-only VAR_DIR=/tmp/build-var python manage.py collectstatic --noinput --verbosity 0 \
    && rm -rf /tmp/build-var

# Never run as root. var/ holds uploads (a volume) and beat's schedule.
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin doorstep \
    && mkdir -p /app/var/media \
    && chown -R doorstep /app/var
USER doorstep

EXPOSE 8000
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
