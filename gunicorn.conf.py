"""gunicorn's settings for production: `gunicorn lms_project.wsgi` reads this file from the
working directory (or pass `-c gunicorn.conf.py`). Each value can be overridden by an environment
variable, as the README's table says.

Requests that never reach Django are answered by gunicorn itself, with a small HTML page, not
in the API's envelope: a request line longer than `limit_request_line` bytes is a
`414 URI Too Long`; more than `limit_request_fields` headers, or one longer than
`limit_request_field_size` bytes, a `431 Request Header Fields Too Large`; a malformed request a
`400 Bad Request`. A worker that takes longer than `timeout` seconds is killed and its request
dropped (the client sees the connection close, or the proxy's `502`/`504`).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: each request holds one worker and one database connection. Two per core, plus
# one, keeps the cores busy while a request waits on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
worker_class = "sync"
# A request that runs longer is stuck: kill it rather than let it hold a worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Behind a load balancer that keeps connections open.
keepalive = 5
# Bound each worker's memory over time: restart it after this many requests (jittered, so the
# workers do not restart together).
max_requests = 5000
max_requests_jitter = 500

# What a request may carry before Django sees it (gunicorn answers 414 or 431 past these).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# One line per request on standard output, with the request id the app sets (`X-Request-ID`),
# which every application log line for that request carries too.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
