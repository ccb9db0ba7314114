#!/usr/bin/env python3
# silent.py: connections that never log in, for t-startups.sh.  Opens N
# TCP connections to partad from source address SRC, one after another,
# and sorts them by the first bytes partad sends: its SSH version line
# (accepted, then left silent) or a refusal.  Writes "accepted=A
# refused=R" to the file READY, then holds the accepted ones open until
# the file RELEASE exists (at most 120 s), and reports "closed=C": how
# many of them partad had closed meanwhile (a deadline passed).
#
#   silent.py PORT SRC N READY RELEASE
import os
import socket
import sys
import time


def first_bytes(s, seconds):
    s.settimeout(seconds)
    data = b""
    try:
        while b"\n" not in data:
            got = s.recv(256)
            if not got:
                break
            data += got
    except socket.timeout:
        pass
    return data


def main():
    port, src, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    ready, release = sys.argv[4], sys.argv[5]
    held, refused = [], 0
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=10,
                                     source_address=(src, 0))
        data = first_bytes(s, 10)
        if data.startswith(b"SSH-"):
            held.append(s)
        else:
            refused += 1
            s.close()
    with open(ready + ".tmp", "w") as f:
        f.write("accepted=%d refused=%d\n" % (len(held), refused))
    os.rename(ready + ".tmp", ready)
    end = time.time() + 120
    while time.time() < end and not os.path.exists(release):
        time.sleep(0.1)
    closed = 0
    for s in held:
        s.settimeout(0.5)
        try:
            if s.recv(256) == b"":
                closed += 1
        except socket.timeout:
            pass
        except OSError:
            closed += 1
        s.close()
    with open(ready, "a") as f:
        f.write("closed=%d\n" % closed)


main()
