#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seeds for fuzz_esp_decap: valid ESP packets for its five fixed SAs (keys
01 02 03 ..., HMAC keys 40 41 42 ..., SPI 0x1000, sequence 1) and a few
round-trip inputs.   python3 gen_decap_seeds.py fuzz/corpus/fuzz_esp_decap"""
import hashlib
import hmac
import os
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

KEY = bytes(range(1, 37))
IKEY = bytes(range(0x40, 0x80))
SPI = 0x1000


def trailer(inner, block, nh, pad=None):
    if pad is None:
        pad = (block - (len(inner) + 2) % block) % block
    return inner + bytes(range(1, pad + 1)) + bytes([pad, nh])


def seeds():
    hdr = struct.pack('!II', SPI, 1)
    v4 = bytes([0x45]) + bytes(range(1, 40))
    iv16 = bytes(16)
    iv8 = bytes(range(8))
    # SA 0: AES-CBC-128, no integrity
    for name, pt in (('cbc_v4', trailer(v4, 16, 4)), ('cbc_dummy', trailer(b'', 16, 59, 14)),
                     ('cbc_pad255', trailer(v4[:15], 16, 4, 255))):
        enc = Cipher(algorithms.AES(KEY[:16]), modes.CBC(iv16)).encryptor()
        yield name, bytes([0]) + hdr + iv16 + enc.update(pt) + enc.finalize()
    # SA 1: AES-CBC-256 + HMAC-SHA2-256-128, ESN
    enc = Cipher(algorithms.AES(KEY[:32]), modes.CBC(iv16)).encryptor()
    ct = enc.update(trailer(v4, 16, 4)) + enc.finalize()
    icv = hmac.new(IKEY[:32], hdr + iv16 + ct + bytes(4), hashlib.sha256).digest()[:16]
    yield 'cbc_sha256_esn', bytes([1]) + hdr + iv16 + ct + icv
    # SA 2: AES-GCM-16-128, ESN: AAD = SPI | seq hi | seq lo
    aad = hdr[:4] + bytes(4) + hdr[4:]
    out = AESGCM(KEY[:16]).encrypt(KEY[16:20] + iv8, trailer(v4, 4, 4), aad)
    yield 'gcm_esn', bytes([2]) + hdr + iv8 + out
    # SA 3: ChaCha20-Poly1305
    out = ChaCha20Poly1305(KEY[:32]).encrypt(KEY[32:36] + iv8, trailer(v4, 4, 4), hdr)
    yield 'chacha', bytes([3]) + hdr + iv8 + out
    # SA 4: AES-GMAC-256: all is AAD
    pl = trailer(v4, 4, 4)
    tag = AESGCM(KEY[:32]).encrypt(KEY[32:36] + iv8, b'', hdr + iv8 + pl)
    yield 'gmac', bytes([4]) + hdr + iv8 + pl + tag
    for i in range(5):
        yield f'roundtrip_{i}', bytes([0x80 | i]) + v4


for name, blob in seeds():
    with open(os.path.join(sys.argv[1], name), 'wb') as f:
        f.write(blob)
