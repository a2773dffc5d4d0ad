"""The container's health check: does the web server answer its start page?

It asks as the proxy in front would (the site's host name, HTTPS already handled), so neither
ALLOWED_HOSTS nor the redirect to HTTPS turns a healthy server into a failed check.
"""

import http.client
import os
import sys


def main() -> int:
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = next((h.lstrip(".") for h in hosts if h != "*"), "localhost")
    connection = http.client.HTTPConnection("127.0.0.1", int(os.environ.get("PORT", "8000")), timeout=4)
    try:
        connection.request("GET", "/", headers={"Host": host, "X-Forwarded-Proto": "https"})
        status = connection.getresponse().status
    except OSError as error:
        print(f"unhealthy: {error}")
        return 1
    print(f"status {status}")
    return 0 if status < 400 else 1


if __name__ == "__main__":
    sys.exit(main())
