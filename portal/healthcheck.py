"""The container health check: `python portal/healthcheck.py` exits 0 when /healthz answers 200.

Docker runs it inside the web container (Dockerfile HEALTHCHECK, docker-compose.yml), every few
seconds, so it is plain standard library and never imports Django. It calls gunicorn directly over
plain HTTP: /healthz is exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT). It sends a Host
header the app accepts, the first entry of the container's own ALLOWED_HOSTS, because Django
answers 400 to any other host (and 127.0.0.1 is not allowed once ALLOWED_HOSTS is the real domain).
A redirect or any other answer counts as unhealthy.
"""

import http.client
import os
import sys

PORT = 8000


def allowed_host(allowed_hosts: str) -> str:
    """A host name that Django's ALLOWED_HOSTS (comma-separated, as in the environment) accepts."""
    hosts = [host.strip() for host in allowed_hosts.split(",") if host.strip()]
    if not hosts:
        return "127.0.0.1"  # unset: the settings' default list starts with it
    if hosts[0] == "*":
        return "localhost"
    return hosts[0].lstrip(".")  # ".example.com" allows example.com and its subdomains


def healthy(*, host: str, port: int = PORT) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
    try:
        connection.request("GET", "/healthz", headers={"Host": host})
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


if __name__ == "__main__":
    sys.exit(0 if healthy(host=allowed_host(os.environ.get("ALLOWED_HOSTS", ""))) else 1)
