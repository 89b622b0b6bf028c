"""The web tier's page server, written to each instance by the default user
data when a port needs more than python3 -m http.server: TLS on an
instance port (HTTPS or SSL instance protocol), HTTP sent to HTTPS, or a
health check path that is not a page.

  webserver.py PORT [--tls] [--redirect-https HTTPS_PORT] [--health PATH]

--health answers the load balancer's health check: a GET or HEAD of PATH
(whatever its query string) gets 200, with the page of that name when
there is one, else "ok". --tls serves TLS 1.2 or later with the
certificate and key that systemd hands over as credentials (tls.crt and
tls.key in $CREDENTIALS_DIRECTORY); each connection's handshake runs in
its own thread, with a timeout, so an idle connection holds up nobody.
--redirect-https answers a request that reached the load balancer over
plain HTTP (header X-Forwarded-Proto: http) with a 301 to the same URL
over HTTPS. The load balancer's health checks come from the load balancer
itself, without that header: they are answered as they are. Python's
standard library only (3.9, as Amazon Linux 2023 ships): nothing to
download at boot.
"""
import argparse
import functools
import http.server
import io
import os
import re
import ssl
import urllib.parse

# A Host header: a name, an IPv4 address or a bracketed IPv6 address, and
# an optional port.
HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[^\[\]:/?#@\s]+)(:\d+)?$")


class Handler(http.server.SimpleHTTPRequestHandler):
    redirect_port = 0
    health_path = ""
    # Seconds a connection may stay silent.
    timeout = 30

    def send_head(self):
        url = urllib.parse.urlsplit(self.path)
        if self.redirect_port and self.headers.get("X-Forwarded-Proto", "").lower() == "http":
            match = HOST.match(self.headers.get("Host") or "")
            if not match:
                self.send_error(400, "Host header required")
                return None
            port = "" if self.redirect_port == 443 else ":%d" % self.redirect_port
            target = url.path + ("?" + url.query if url.query else "")
            self.send_response(301)
            self.send_header("Location", "https://%s%s%s" % (match.group(1), port, target))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if self.health_path and url.path == self.health_path and not self.is_page(url.path):
            return self.send_ok()
        return super().send_head()

    def is_page(self, path):
        """Whether the static handler would serve path with 200."""
        local = self.translate_path(path)
        if os.path.isdir(local):
            return path.endswith("/") and os.path.isfile(os.path.join(local, "index.html"))
        return not path.endswith("/") and os.path.isfile(local)

    def send_ok(self):
        body = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)


class TLSServer(http.server.ThreadingHTTPServer):
    """Does each TLS handshake in the connection's thread, not in accept."""

    context = None

    def finish_request(self, request, client_address):
        request.settimeout(Handler.timeout)
        try:
            request = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            request.close()
            return
        try:
            super().finish_request(request, client_address)
        finally:
            request.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--directory", default="/var/www/webtier")
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--redirect-https", type=int, default=0)
    parser.add_argument("--health", default="")
    parser.add_argument("--bind", default="")
    args = parser.parse_args()

    Handler.redirect_port = args.redirect_https
    Handler.health_path = args.health
    handler = functools.partial(Handler, directory=args.directory)
    server_class = http.server.ThreadingHTTPServer
    if args.tls:
        credentials = os.environ["CREDENTIALS_DIRECTORY"]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(os.path.join(credentials, "tls.crt"), os.path.join(credentials, "tls.key"))
        TLSServer.context = context
        server_class = TLSServer
    server = server_class((args.bind, args.port), handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
