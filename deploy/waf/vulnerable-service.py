#!/usr/bin/env python3
"""A DELIBERATELY VULNERABLE patient lookup, for deploy/waf/sqlmap-demo.sh only.

GET /api/patients?name=X builds its SQL by pasting X into a string and runs it with psql against
the local PostgreSQL (database `test`, as the limited role `waf_demo`, which may read one table):
a textbook SQL injection. It listens on 127.0.0.1 only and is never part of `./gateway demo`.
Start it only through the demo script.
"""
import json
import subprocess
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PSQL = ["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-h", "127.0.0.1", "-U", "waf_demo", "-d", "test",
        "-v", "ON_ERROR_STOP=1", "-c"]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/api/patients":
            return self.answer(404, {"error": "not found"})
        name = urllib.parse.parse_qs(url.query).get("name", [""])[0]
        # The vulnerability, on purpose: the parameter is pasted into the SQL text.
        sql = "SELECT id, name, birth_date FROM waf_demo_patients WHERE name = '" + name + "' ORDER BY id"
        run = subprocess.run(PSQL + [sql], capture_output=True, text=True, timeout=30)
        if run.returncode != 0:
            # Database errors go back to the caller, as careless services do (error-based SQLi).
            return self.answer(500, {"error": run.stderr.strip()})
        rows = [line.split("\t") for line in run.stdout.splitlines() if line]
        return self.answer(200, [{"id": r[0], "name": r[1], "birthDate": r[2] if len(r) > 2 else None} for r in rows])

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9780
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
