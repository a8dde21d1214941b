# The hub for production-like deployments (docker-compose.yml runs it against Neo4j 5).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY hub hub
COPY connectors connectors
COPY seed seed
COPY schema schema
RUN pip install --no-cache-dir .
ENV HUB_DATA_DIR=/data
VOLUME /data
EXPOSE 8000
CMD ["hub", "serve", "--host", "0.0.0.0", "--port", "8000"]
