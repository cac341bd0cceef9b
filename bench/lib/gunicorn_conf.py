"""gunicorn settings for the benchmarks: the production image's server (sync workers, three of
them, as the Dockerfile runs it), without the access log so that logging is not measured."""

import os

workers = int(os.environ.get("BENCH_WORKERS", "3"))
worker_class = "sync"
timeout = 60
backlog = 2048
accesslog = None
errorlog = "-"
loglevel = "warning"
