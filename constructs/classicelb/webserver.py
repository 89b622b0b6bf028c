"""The web tier's page server, written to each instance by the default user
data when a listener needs more than python3 -m http.server: TLS on an
instance port (HTTPS or SSL instance protocol), or HTTP sent to HTTPS.

  webserver.py PORT [--tls] [--redirect-https HTTPS_PORT --health PATH]

--tls serves TLS with the certificate and key that systemd hands over as
credentials (tls.crt and tls.key in $CREDENTIALS_DIRECTORY). --redirect-https
answers a request that reached the load balancer over plain HTTP (header
X-Forwarded-Proto: http) with a 301 to the same URL over HTTPS, except the
health check path, which the load balancer pings directly. Python's
standard library only: nothing to download at boot.
"""
import argparse
import functools
import http.server
import os
import ssl
import urllib.parse


class Handler(http.server.SimpleHTTPRequestHandler):
    redirect_port = 0
    health_path = ""

    def send_head(self):
        if self.redirect_port and self.headers.get("X-Forwarded-Proto", "").lower() == "http":
            path = urllib.parse.urlsplit(self.path).path
            if path != self.health_path:
                host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
                port = "" if self.redirect_port == 443 else ":%d" % self.redirect_port
                self.send_response(301)
                self.send_header("Location", "https://%s%s%s" % (host, port, self.path))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
        return super().send_head()


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
    server = http.server.ThreadingHTTPServer((args.bind, args.port), handler)
    if args.tls:
        credentials = os.environ["CREDENTIALS_DIRECTORY"]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(os.path.join(credentials, "tls.crt"), os.path.join(credentials, "tls.key"))
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
