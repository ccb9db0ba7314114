#!/usr/bin/python3
# sync-raw.py: a client of parta-sync (man/parta-sync.5) that sends
# frames without reading the answers, for t-sync-flood.sh, on paramiko's
# raw channel.
#
#   sync-raw.py PORT USER PASSWORD flood SECS
#
# HELLO, then PUSH frames of a kind partad does not know (each answered
# REFUSED, nothing written) until the server has taken none for SECS
# seconds, or 64 MB of them; print "sent N" (frames taken whole); wait
# for a line on stdin; then read the answers while sending the rest of
# the last batch, and print "answered N of M refused N" (answers, frames
# sent, REFUSED among the answers).
import os
import socket
import struct
import sys
import threading

import paramiko

from rawwire import packet as frame, sstr


def hello():
    return frame(1, struct.pack(">II", 1, 1) + struct.pack(">I", 0) +
                 sstr("sync-raw"))


def push(n):
    uuid = os.urandom(16)
    return frame(3, uuid + sstr("no-such-kind-%d" % (n % 10)) +
                 struct.pack(">I", 0))


def main():
    port, user, pw, mode, secs = sys.argv[1:6]
    sock = socket.create_connection(("127.0.0.1", int(port)))
    t = paramiko.Transport(sock)
    t.connect()
    t.auth_password(user, pw)
    ch = t.open_session()
    ch.invoke_subsystem("parta-sync")
    ch.sendall(hello())
    if mode == "idle":  # a baseline: connected, then nothing
        print("sent 0", flush=True)
        sys.stdin.readline()
        t.close()
        return
    ch.settimeout(float(secs))
    flen = len(push(0))
    batch = b"".join(push(i) for i in range(64))
    pending = b""
    size = 0
    while size < (64 << 20):
        if not pending:
            pending = batch
        try:
            n = ch.send(pending)
        except socket.timeout:
            break
        pending = pending[n:]
        size += n
    # Frames taken whole; the one cut, if any, goes with the rest later.
    print("sent %d" % (size // flen), flush=True)
    sys.stdin.readline()
    total = (size + len(pending)) // flen
    ch.settimeout(30.0)
    got = {"n": 0, "kinds": {}}

    def reader():
        buf = b""
        while got["n"] < total + 1:
            try:
                d = ch.recv(65536)
            except socket.timeout:
                break
            if not d:
                break
            buf += d
            while len(buf) >= 4:
                (n,) = struct.unpack(">I", buf[:4])
                if len(buf) < 4 + n:
                    break
                k = got["kinds"]
                k[buf[4]] = k.get(buf[4], 0) + 1
                buf = buf[4 + n:]
                got["n"] += 1

    th = threading.Thread(target=reader)
    th.start()
    ch.sendall(pending)
    th.join()
    k = got["kinds"]
    print("answered %d of %d refused %d" % (got["n"] - k.get(0x81, 0),
                                            total, k.get(0x85, 0)),
          flush=True)
    t.close()


main()
