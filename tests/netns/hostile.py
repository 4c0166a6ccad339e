#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A hostile IKE/ESP peer for t_hostile.sh: plain UDP and raw sockets, no
scapy. Every command prints one JSON object of what it sent and saw.

  junk DST                 malformed IKE on 500 and 4500: truncated, oversized,
                           wrong lengths, wrongly chained, unknown critical
                           payload, bad version/exchange, garbage on 4500
  per-source DST N         N IKE_SA_INIT (distinct SPIi) from one address
  flood DST FIRST COUNT P  IKE_SA_INIT from COUNT addresses FIRST.. (P ports each),
                           never returning a COOKIE
  auth-garbage DST SRC     from SRC: IKE_SA_INIT, then IKE_AUTH with a garbage SK payload to
                           the half-open SA the responder made
  one DST                  one datagram too short for an IKE header
  esp DST SPI              ESP in UDP: unknown SPIs, SPI with a bad ICV; raw ESP
                           (IP protocol 50): unknown SPIs and runts
  replay PCAP [reverse]    sends the IPv4 packets of an Ethernet pcap again,
                           as they were (raw socket), in order or reversed
"""
import ipaddress
import json
import os
import random
import select
import socket
import struct
import sys

PL_SA, PL_KE, PL_NONCE, PL_NOTIFY, PL_SK = 33, 34, 40, 41, 46
N_COOKIE = 16390
IKE_SA_INIT, IKE_AUTH = 34, 35


def pl(nxt, body, critical=False):
    return struct.pack("!BBH", nxt, 0x80 if critical else 0, 4 + len(body)) + body


def xf(last, ttype, tid, attrs=b""):
    return struct.pack("!BBHBBH", 0 if last else 3, 0, 8 + len(attrs), ttype, 0, tid) + attrs


def sa_body():
    # aes256-sha256-modp1024: ENCR AES_CBC (12) keylen 256, PRF_HMAC_SHA2_256 (5),
    # AUTH_HMAC_SHA2_256_128 (12), MODP_1024 (2): RFC 7296 3.3.
    xfs = (xf(False, 1, 12, struct.pack("!HH", 0x800E, 256)) + xf(False, 2, 5) +
           xf(False, 3, 12) + xf(True, 4, 2))
    return struct.pack("!BBHBBBB", 0, 0, 8 + len(xfs), 1, 1, 0, 4) + xfs


def hdr(spi_i, spi_r, first, exch, flags, msg_id, total):
    return struct.pack("!QQBBBBII", spi_i, spi_r, first, 0x20, exch, flags, msg_id, total)


def init_msg(spi_i, extra=b"", extra_type=None):
    ke = struct.pack("!HH", 2, 0) + bytes([0x7F]) + os.urandom(127)
    nonce = os.urandom(32)
    last = extra_type if extra_type is not None else 0
    body = pl(PL_KE, sa_body()) + pl(PL_NONCE, ke) + pl(last, nonce) + extra
    return hdr(spi_i, 0, PL_SA, IKE_SA_INIT, 0x08, 0, 28 + len(body)) + body


def notifies(msg):
    """Notify types of a cleartext IKE message (empty if it does not parse)."""
    out = []
    if len(msg) < 28:
        return out
    nxt, off = msg[16], 28
    while nxt and off + 4 <= len(msg):
        n2, _, ln = struct.unpack("!BBH", msg[off:off + 4])
        if ln < 4:
            break
        if nxt == PL_NOTIFY and ln >= 8:
            out.append(struct.unpack("!H", msg[off + 6:off + 8])[0])
        nxt, off = n2, off + ln
    return out


def udp(src=("", 0)):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(src)
    s.setblocking(False)
    return s


def drain(socks, wait):
    got = []
    while True:
        r, _, _ = select.select(socks, [], [], wait)
        if not r:
            return got
        for s in r:
            try:
                got.append(s.recv(65535))
            except OSError:
                pass


def junk(dst):
    s500, s4500 = udp(), udp()
    sent = {}

    def send(kind, data, port=500):
        (s500 if port == 500 else s4500).sendto(data, (dst, port))
        sent[kind] = sent.get(kind, 0) + 1

    for _ in range(50):
        spi = random.getrandbits(64) | 1
        good = init_msg(spi)
        # Truncated: shorter than a header, or cut inside the payloads.
        send("truncated", os.urandom(random.randint(0, 27)))
        send("truncated", good[:random.randint(28, len(good) - 1)])
        # Oversized / wrongly lengthed: the Length field disagrees with the datagram.
        bad = bytearray(good)
        struct.pack_into("!I", bad, 24, len(good) + random.randint(1, 5000))
        send("length", bytes(bad))
        struct.pack_into("!I", bad, 24, random.randint(0, 27))
        send("length", bytes(bad))
        send("oversized", hdr(spi, 0, PL_SA, IKE_SA_INIT, 8, 0, 60000) + os.urandom(60000 - 28))
        # A payload whose length runs past the end / is shorter than its header.
        bad = bytearray(good)
        struct.pack_into("!H", bad, 30, random.choice([0, 1, 3, 0xFFFF]))
        send("payload_length", bytes(bad))
        # Wrongly chained: the chain names a type that is not there, or SK in IKE_SA_INIT.
        bad = bytearray(good)
        bad[16] = random.choice([PL_NONCE, PL_SK, 39, 48])
        send("chain", bytes(bad))
        # Unknown payload type with the critical bit (2.5).
        crit = pl(0, os.urandom(16), critical=True)
        send("critical", init_msg(spi, crit, extra_type=200))
        # Wrong major version, unknown exchange.
        bad = bytearray(good)
        bad[17] = 0x30
        send("version", bytes(bad))
        bad = bytearray(good)
        bad[18] = 99
        send("exchange", bytes(bad))
        # IKE_AUTH / INFORMATIONAL for SPIs nobody has, with an SK of garbage.
        for exch in (IKE_AUTH, 37):
            body = pl(35, os.urandom(16 + 32 + 16))
            send("unknown_spi", hdr(spi, random.getrandbits(64) | 1, PL_SK, exch, 0x08, 1,
                                    28 + len(body)) + body)
        # Garbage on 4500: runts, non-ESP marker + junk, random.
        send("udp4500", os.urandom(random.randint(1, 7)), 4500)
        send("udp4500", b"\0\0\0\0" + os.urandom(random.randint(0, 60)), 4500)
        send("udp4500", b"\0\0\0\0" + bytes(good[:40]), 4500)
    print(json.dumps({"sent": sent}))


def per_source(dst, n):
    s = udp()
    for _ in range(n):
        s.sendto(init_msg(random.getrandbits(64) | 1), (dst, 500))
    got = drain([s], 1.0)
    print(json.dumps({"sent": n, "responses": len(got),
                      "cookies": sum(N_COOKIE in notifies(m) for m in got)}))


def flood(dst, first, count, ports):
    base = ipaddress.IPv4Address(first)
    socks, sent, got = [], 0, []
    for i in range(count):
        for _ in range(ports):
            s = udp((str(base + i), 0))
            socks.append(s)
            s.sendto(init_msg(random.getrandbits(64) | 1), (dst, 500))
            sent += 1
        if len(socks) >= 200:
            got += drain(socks, 0.05)
            for s in socks:
                s.close()
            socks = []
    got += drain(socks, 1.0)
    print(json.dumps({"sent": sent, "responses": len(got),
                      "cookies": sum(N_COOKIE in notifies(m) for m in got)}))


def auth_garbage(dst, src):
    s = udp((src, 0))
    done, tries = 0, 0
    while done < 5 and tries < 20:
        tries += 1
        spi_i = random.getrandbits(64) | 1
        s.sendto(init_msg(spi_i), (dst, 500))
        for m in drain([s], 1.0):
            spi_r = struct.unpack("!Q", m[8:16])[0]
            if struct.unpack("!Q", m[:8])[0] != spi_i or not spi_r:
                continue
            for k in range(4):
                sk = os.urandom(16 + 48 + 16)  # IV | ciphertext | ICV, all garbage
                body = pl(35, sk)  # first inner payload: IDi
                msg = hdr(spi_i, spi_r, PL_SK, IKE_AUTH, 0x08, 1, 28 + len(body)) + body
                s.sendto(msg, (dst, 500))
            # Out of order: a request from the future, a response to nothing (2.3).
            body = pl(35, os.urandom(16 + 48 + 16))
            s.sendto(hdr(spi_i, spi_r, PL_SK, IKE_AUTH, 0x08, 7, 28 + len(body)) + body, (dst, 500))
            s.sendto(hdr(spi_i, spi_r, PL_SK, IKE_AUTH, 0x28, 1, 28 + len(body)) + body, (dst, 500))
            done += 1
    print(json.dumps({"half_open_made": done, "garbage_auth_sent": done * 4,
                      "out_of_window_sent": done * 2}))


def esp(dst, spi):
    s = udp()
    n_unknown = n_icv = 0
    for _ in range(200):
        bad_spi = random.getrandbits(32) | 0x1000
        s.sendto(struct.pack("!II", bad_spi, random.getrandbits(32)) + os.urandom(64),
                 (dst, 4500))
        n_unknown += 1
    for i in range(200):
        # The real SA's SPI, a fresh sequence number, garbage ciphertext and ICV.
        s.sendto(struct.pack("!II", spi, 0x10000000 + i) + os.urandom(16 + 64 + 16),
                 (dst, 4500))
        n_icv += 1
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, 50)
    n_raw = 0
    for _ in range(100):
        raw.sendto(struct.pack("!II", random.getrandbits(32) | 0x1000, 1) + os.urandom(48),
                   (dst, 0))
        raw.sendto(os.urandom(random.randint(0, 7)), (dst, 0))
        n_raw += 2
    print(json.dumps({"unknown_spi": n_unknown, "bad_icv": n_icv, "raw_esp": n_raw}))


def replay(path, reverse):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    off, pkts = 24, []
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        ip = frame[14:] if linktype == 1 else frame[16:] if linktype == 113 else frame
        if len(ip) >= 20 and ip[0] >> 4 == 4:
            ihl = (ip[0] & 15) * 4
            if ip[9] == socket.IPPROTO_UDP and len(ip) >= ihl + 8:
                # Captured on a veth, the UDP checksum may be a partial one
                # (offload): send it with none, which IPv4 allows (RFC 768).
                ip = ip[:ihl + 6] + b"\0\0" + ip[ihl + 8:]
            pkts.append(ip)
    if reverse:
        pkts.reverse()
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for ip in pkts:
        s.sendto(ip, (socket.inet_ntoa(ip[16:20]), 0))
    print(json.dumps({"replayed": len(pkts), "reverse": reverse}))


def main():
    a = sys.argv[1:]
    if not a:
        sys.exit(__doc__)
    cmd = a[0]
    if cmd == "junk":
        junk(a[1])
    elif cmd == "per-source":
        per_source(a[1], int(a[2]))
    elif cmd == "flood":
        flood(a[1], a[2], int(a[3]), int(a[4]))
    elif cmd == "auth-garbage":
        auth_garbage(a[1], a[2])
    elif cmd == "one":
        udp().sendto(b"\0" * 7, (a[1], 500))
        print(json.dumps({"sent": 1}))
    elif cmd == "esp":
        esp(a[1], int(a[2], 16))
    elif cmd == "replay":
        replay(a[1], len(a) > 2 and a[2] == "reverse")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
