#!/usr/bin/env python3
"""A tiny HTTP proxy on loopback in front of the test's S3 server, injecting faults:

  s3_fault_proxy.py UPSTREAM_PORT LOG_FILE [--slowdown-every N] [--reset-every N]
                    [--fail-part N] [--kill-after-parts N --kill-pid PID]
                    [--deny-deletes 1]

--slowdown-every N   answers every Nth request 503 SlowDown (the server never sees it)
--reset-every N      closes the connection without an answer on every Nth request that
                     is not a POST (only idempotent requests may be sent again)
--fail-part N        answers UploadPart number N with 400 InvalidPart (not retryable)
--kill-after-parts N after the Nth UploadPart was stored, SIGKILLs the server (PID) and
                     stops itself: the client's next request finds nothing listening
--deny-deletes 1     answers DeleteObject (and multi-object delete) 403 AccessDenied, as
                     credentials without s3:DeleteObject get

The port it listens on is printed on stdout; every request is logged to LOG_FILE as
"METHOD PATH?QUERY -> OUTCOME". It stops by itself after 10 minutes at the latest."""
import http.client
import os
import signal
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler

args = sys.argv[1:]
upstream = int(args[0])
log_path = args[1]
opts = {}
i = 2
while i < len(args):
    opts[args[i]] = int(args[i + 1])
    i += 2
lock = threading.Lock()
counter = {"n": 0, "parts": 0}


def log(line):
    with lock, open(log_path, "a") as f:
        f.write(line + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def answer(self, status, body, outcome):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        log(f"{self.command} {self.path} -> {outcome}")

    def forward(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        with lock:
            counter["n"] += 1
            k = counter["n"]
        is_part = self.command == "PUT" and "partNumber=" in self.path
        part_no = None
        if is_part:
            part_no = int(self.path.split("partNumber=")[1].split("&")[0])
        se, re_ = opts.get("--slowdown-every"), opts.get("--reset-every")
        if se and k % se == 0:
            return self.answer(503, "<Error><Code>SlowDown</Code><Message>Please reduce "
                               "your request rate.</Message></Error>", "injected 503")
        if re_ and k % re_ == 0 and self.command != "POST":
            log(f"{self.command} {self.path} -> injected reset")
            self.close_connection = True
            self.connection.shutdown(2)
            return
        deleting = self.command == "DELETE" or (self.command == "POST" and
                                                "delete" in self.path.split("?")[-1])
        if opts.get("--deny-deletes") and deleting:
            return self.answer(403, "<Error><Code>AccessDenied</Code><Message>Access "
                               "Denied</Message></Error>", "injected 403")
        if opts.get("--fail-part") and part_no == opts["--fail-part"]:
            return self.answer(400, "<Error><Code>InvalidPart</Code><Message>injected"
                               "</Message></Error>", "injected 400")
        conn = http.client.HTTPConnection("127.0.0.1", upstream, timeout=60)
        headers = {h: v for h, v in self.headers.items() if h.lower() != "connection"}
        conn.request(self.command, self.path, body=body if n else None, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        head = self.command == "HEAD"
        for h, v in resp.getheaders():
            if h.lower() in ("connection", "transfer-encoding"):
                continue
            if h.lower() == "content-length" and not head:
                continue
            self.send_header(h, v)
        if not head:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        conn.close()
        log(f"{self.command} {self.path} -> {resp.status}")
        if is_part and resp.status == 200:
            with lock:
                counter["parts"] += 1
                parts = counter["parts"]
            if opts.get("--kill-after-parts") == parts:
                os.kill(opts["--kill-pid"], signal.SIGKILL)
                log("killed the server")
                self.wfile.flush()
                os._exit(0)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = forward


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


srv = Server(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
threading.Timer(600, lambda: os._exit(0)).start()
srv.serve_forever()
