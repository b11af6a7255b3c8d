# The fraud service's image: the Python worker of the "fraud" task queue (services/fraud), beside the
# project's Node image, which runs every other service.
# Build: docker build -f deploy/docker/fraud.Dockerfile -t temporal-orders-fraud:0.1.0 .

# Python 3.11, the version services/fraud/pyproject.toml requires and scripts/python.sh uses.
ARG PYTHON_IMAGE=python:3.11.7-slim-bookworm

# --- build: the worker and its pinned dependencies into a virtualenv; wheels only, no compiler
FROM ${PYTHON_IMAGE} AS build
WORKDIR /app
COPY services/fraud/pyproject.toml ./services/fraud/
COPY services/fraud/fraud ./services/fraud/fraud
RUN python -m venv /venv \
 && /venv/bin/pip install --no-cache-dir --disable-pip-version-check --only-binary=:all: --editable ./services/fraud

# --- runtime: the virtualenv, the worker's source where the editable install points, and the shared contract
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /venv /venv
COPY --from=build /app/services/fraud ./services/fraud
COPY contracts ./contracts
# The SQLite store lives under DATA_DIR, the one writable place; 1000 is an unprivileged user.
RUN mkdir -p /data && chown 1000:1000 /data
USER 1000:1000
# 8080: /healthz and /readyz (WORKER_HEALTH_PORT). 9464: metrics (METRICS_BIND_ADDRESS).
EXPOSE 8080 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 CMD ["python", "-m", "fraud.healthcheck"]
CMD ["python", "-m", "fraud"]
