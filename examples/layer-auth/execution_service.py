#!/usr/bin/env python3
"""The execution layer: a tiny HTTP service (python3 stdlib only) that records every request it
receives under OUT_DIR (body byte for byte, headers as JSON) and answers 200 {"accepted":true}.

Usage: execution_service.py PORT OUT_DIR
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
OUT = sys.argv[2]
counter = 0
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def _handle(self):
        global counter
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with lock:
            counter += 1
            n = counter
        base = os.path.join(OUT, "request-%03d" % n)
        with open(base + ".body", "wb") as f:
            f.write(body)
        with open(base + ".json", "w") as f:
            json.dump({"method": self.command, "path": self.path,
                       "headers": {k.lower(): v for k, v in self.headers.items()}}, f, indent=1)
        answer = b'{"accepted":true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def log_message(self, fmt, *args):
        sys.stderr.write("execution-service: " + (fmt % args) + "\n")


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
