#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tests/interop/holdproxy.py: a forwarding HTTP proxy on 127.0.0.1 that
holds one request, so that a test can kill the server at an exact point of
a CMP transaction.

    holdproxy.py --target PORT --hold N --marker FILE --go FILE
                 [--requests M] [--timeout SECS]

It listens on a port of its choosing and prints "listening on
127.0.0.1:PORT". Each HTTP request (Content-Length framed, as CMP over
HTTP is) is forwarded to 127.0.0.1:PORT on a fresh connection, so that a
restarted server is reached just like the old one; the response goes back
to the client as received. Before forwarding the N-th request it creates
FILE (--marker) and waits until the file --go exists.

Its lifetime is bounded: it exits 0 once M requests (default N) have been
answered, and exits 2 when SECS seconds (default 30) have passed first.
"""
import argparse
import os
import socket
import sys
import threading
import time


def read_message(sock, buf):
    """Reads one HTTP message (head and Content-Length body) from |sock|;
    |buf| holds bytes already received. Returns (message, rest), or
    (None, b"") when the peer closed the connection before a full head.
    Without Content-Length (a response only), the body runs to EOF."""
    while b"\r\n\r\n" not in buf:
        data = sock.recv(65536)
        if not data:
            return None, b""
        buf += data
    head, _, body = buf.partition(b"\r\n\r\n")
    length = None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length is None:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            body += data
        length = len(body)
    while len(body) < length:
        data = sock.recv(65536)
        if not data:
            raise ConnectionError("connection closed inside a body")
        body += data
    return head + b"\r\n\r\n" + body[:length], body[length:]


def wants_close(msg):
    head = msg.split(b"\r\n\r\n", 1)[0].lower()
    return b"connection: close" in head or head.startswith(b"http/1.0")


class Proxy:
    def __init__(self, args):
        self.args = args
        self.deadline = time.monotonic() + args.timeout
        self.lock = threading.Lock()
        self.seen = 0      # requests received
        self.answered = 0  # responses sent back

    def forward(self, req):
        """One request to the target on a new connection; retried while
        the target is down (being restarted), until the deadline."""
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.args.target), timeout=20) as up:
                    up.sendall(req)
                    rsp, _ = read_message(up, b"")
                    if rsp is not None:
                        return rsp
            except OSError:
                pass
            if time.monotonic() > self.deadline:
                raise TimeoutError("target unreachable")
            time.sleep(0.1)

    def serve(self, conn):
        """All requests of one client connection (keep-alive included)."""
        buf = b""
        with conn:
            conn.settimeout(max(1, self.deadline - time.monotonic()))
            while True:
                req, buf = read_message(conn, buf)
                if req is None:
                    return
                with self.lock:
                    self.seen += 1
                    n = self.seen
                if n == self.args.hold:
                    # Held: tell the test, wait for its go.
                    open(self.args.marker, "w").close()
                    while not os.path.exists(self.args.go):
                        if time.monotonic() > self.deadline:
                            return
                        time.sleep(0.05)
                rsp = self.forward(req)
                conn.sendall(rsp)
                with self.lock:
                    self.answered += 1
                if wants_close(req) or wants_close(rsp):
                    return

    def run(self):
        ls = socket.socket()
        ls.bind(("127.0.0.1", 0))
        ls.listen(8)
        ls.settimeout(0.1)
        print("listening on 127.0.0.1:%d" % ls.getsockname()[1], flush=True)
        while self.answered < self.args.requests:
            if time.monotonic() > self.deadline:
                print("holdproxy: timed out after %d of %d requests"
                      % (self.answered, self.args.requests), file=sys.stderr)
                return 2
            try:
                conn, _ = ls.accept()
            except socket.timeout:
                continue
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()
        return 0


def main():
    p = argparse.ArgumentParser(description="forwarding HTTP proxy that holds the N-th request")
    p.add_argument("--target", type=int, required=True, help="server port on 127.0.0.1")
    p.add_argument("--hold", type=int, required=True, help="hold the N-th request (1-based)")
    p.add_argument("--marker", required=True, help="file created when the request is held")
    p.add_argument("--go", required=True, help="file whose existence releases it")
    p.add_argument("--requests", type=int, help="exit after this many answers (default --hold)")
    p.add_argument("--timeout", type=float, default=30, help="lifetime in seconds (default 30)")
    args = p.parse_args()
    if args.requests is None:
        args.requests = args.hold
    return Proxy(args).run()


if __name__ == "__main__":
    sys.exit(main())
