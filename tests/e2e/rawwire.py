# rawwire.py: what SFTP (version 3) and parta-sync frame alike, for the
# raw clients sftp-raw.py and sync-raw.py: a string is a 32-bit
# big-endian length and its bytes (RFC 4251, section 5), a packet is a
# 32-bit length, a type byte and the body.
import struct


def sstr(b):
    if isinstance(b, str):
        b = b.encode()
    return struct.pack(">I", len(b)) + b


def packet(kind, body):
    return struct.pack(">IB", len(body) + 1, kind) + body
