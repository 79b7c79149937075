#!/usr/bin/env python3
"""Serves the snapshot on loopback, as the real services answer the collectors' requests:
    python3 serve.py [PORT]          (default 18765; Ctrl-C stops it)
then point collect at it: --hub-url, --openrouter-url and --github-url http://127.0.0.1:PORT
(a dossier's feed: http://127.0.0.1:PORT/feeds/mistral-news.atom). Each answer carries an ETag
and a request with that If-None-Match gets 304; the Hub's first pages a Link: <...>; rel="next"."""
import hashlib, json, os, sys, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "routes.json"), encoding="utf-8") as f:
    ROUTES = {r["path"]: r for r in json.load(f)["routes"]}


class Snapshot(BaseHTTPRequestHandler):
    def do_GET(self):
        route = ROUTES.get(urllib.parse.unquote(self.path))
        if route is None:
            body = b'{"error":"not in the snapshot"}'
            self.send_response(404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        with open(os.path.join(HERE, route["file"]), "rb") as f:
            body = f.read()
        etag = 'W/"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", route["type"])
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        if "next" in route:
            host, port = self.server.server_address[:2]
            self.send_header("Link", f'<http://{host}:{port}{route["next"]}>; rel="next"')
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write("snapshot: " + (fmt % args) + "\n")


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 18765
    server = ThreadingHTTPServer(("127.0.0.1", port), Snapshot)
    print(f"serving the snapshot on http://127.0.0.1:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
