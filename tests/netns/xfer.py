#!/usr/bin/env python3
"""Bulk TCP transfer with checksums, for the data-path scenarios.

  xfer.py serve PORT            accept one connection, print bytes and sha256 received
  xfer.py send HOST PORT BYTES  send BYTES of seeded pseudo-random data, print bytes and sha256 sent
"""
import hashlib
import random
import socket
import sys


def serve(port):
    s = socket.socket(socket.AF_INET6 if ":" in sys.argv[-1] else socket.AF_INET)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", port))
    s.listen(1)
    s.settimeout(20)
    c, _ = s.accept()
    c.settimeout(30)
    h, n = hashlib.sha256(), 0
    while True:
        b = c.recv(1 << 16)
        if not b:
            break
        h.update(b)
        n += len(b)
    print(n, h.hexdigest())


def send(host, port, size):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    c = socket.socket(fam)
    c.settimeout(30)
    c.connect((host, port))
    rnd = random.Random(1)
    h, n = hashlib.sha256(), 0
    while n < size:
        b = rnd.randbytes(min(1 << 16, size - n))
        c.sendall(b)
        h.update(b)
        n += len(b)
    c.shutdown(socket.SHUT_WR)
    c.recv(1)
    c.close()
    print(n, h.hexdigest())


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
