#!/usr/bin/python3
# sftp-raw.py: a hostile or exacting SFTP client for the e2e tests, on
# paramiko's raw channel: it writes SFTP packets itself, so it can send
# requests without reading the replies, hold many handles at once, or
# read past a file's end, which no ordinary client does.
#
#   sftp-raw.py PORT USER KEY MODE ARGS...
#
# MODE is one of
#   flood PATH SECS PAUSE
#                       send READs of PATH until the server stops taking
#                       them for SECS seconds (its window closed), or 64
#                       MB of them, never reading a reply (with PAUSE > 0,
#                       64 READs first, then a pause of PAUSE seconds);
#                       print "sent N"; then wait for a line on stdin and
#                       drop the connection.
#   pipeline PATH LOCAL N
#                       send N READs at once, then read every reply and
#                       check it against the local copy LOCAL; print
#                       "ok N" or what differed.
#   handles NAME COUNT SIZE [PORT2]
#                       open COUNT uploads NAME.0 ... at once (over two
#                       sessions, alternately, with PORT2 = "two"), write
#                       SIZE bytes into each in 32 KB rounds, one write to
#                       every handle per round; print "ok N" for the
#                       writes accepted and "refused N" for those refused.
#   pastend PATH OFFSET COUNT
#                       COUNT times: open PATH, read at OFFSET (at or past
#                       the end, or its last bytes), close; print what the
#                       replies were ("eof", "data").
#   whole PATH          open PATH, read it to the end, close; print bytes.
#   idle SECS           start SFTP and wait up to SECS seconds for the
#                       server to close the channel; print "closed" or
#                       "open".
import socket
import struct
import sys
import time

import paramiko

from rawwire import packet, sstr

OPEN, CLOSE, READ, WRITE = 3, 4, 5, 6
STATUS, HANDLE, DATA = 101, 102, 103
FXF_WRITE, FXF_CREAT, FXF_TRUNC = 0x02, 0x08, 0x10


class Sftp:
    def __init__(self, port, user, key):
        sock = socket.create_connection(("127.0.0.1", port))
        self.t = paramiko.Transport(sock)
        self.t.connect()
        self.t.auth_publickey(user,
                              paramiko.Ed25519Key.from_private_key_file(key))
        self.ch = self.t.open_session()
        self.ch.invoke_subsystem("sftp")
        self.buf = b""
        self.id = 0
        self.send(packet(1, struct.pack(">I", 3)))
        kind, _ = self.reply()
        assert kind == 2, kind

    def send(self, data):
        self.ch.sendall(data)

    def recv_exact(self, n):
        while len(self.buf) < n:
            d = self.ch.recv(65536)
            if not d:
                raise EOFError
            self.buf += d
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def reply(self):
        (n,) = struct.unpack(">I", self.recv_exact(4))
        body = self.recv_exact(n)
        return body[0], body[1:]

    def request(self, kind, body):
        self.id += 1
        return packet(kind, struct.pack(">I", self.id) + body)

    def call(self, kind, body):
        self.send(self.request(kind, body))
        return self.reply()

    def open(self, path, flags=1):
        kind, b = self.call(OPEN, sstr(path) + struct.pack(">II", flags, 0))
        if kind != HANDLE:
            return None
        (n,) = struct.unpack(">I", b[4:8])
        return b[8:8 + n]

    def close(self, h):
        return self.call(CLOSE, sstr(h))

    def read_req(self, h, off, n):
        return self.request(READ, sstr(h) + struct.pack(">QI", off, n))

    def write_req(self, h, off, data):
        return self.request(WRITE, sstr(h) + struct.pack(">Q", off) +
                            sstr(data))


def status_of(kind, b):
    if kind == STATUS:
        return struct.unpack(">I", b[4:8])[0]
    return None


def flood(s, path, secs, pause):
    h = s.open(path)
    if pause > 0:
        # First more READs than the window holds replies for, and a
        # pause: the replies then stall between requests.
        s.ch.sendall(b"".join(s.read_req(h, 0, 65536) for _ in range(64)))
        time.sleep(pause)
    s.ch.settimeout(float(secs))
    sent = 0
    try:
        while sent < 64 << 20:
            batch = b"".join(s.read_req(h, 0, 65536) for _ in range(256))
            s.ch.sendall(batch)
            sent += len(batch)
    except socket.timeout:
        pass
    print("sent", sent, flush=True)
    sys.stdin.readline()
    s.t.close()


def pipeline(s, path, local, n):
    want = open(local, "rb").read()
    h = s.open(path)
    chunk = 32768
    offs = [(i * chunk) % len(want) for i in range(n)]
    s.send(b"".join(s.read_req(h, o, chunk) for o in offs))
    for i, o in enumerate(offs):
        kind, b = s.reply()
        if kind != DATA:
            print("reply", i, "kind", kind)
            return
        (ln,) = struct.unpack(">I", b[4:8])
        if b[8:8 + ln] != want[o:o + chunk]:
            print("reply", i, "differs at offset", o)
            return
    print("ok", n)


def handles(sessions, name, count, size):
    hs = []
    for i in range(count):
        s = sessions[i % len(sessions)]
        h = s.open("/upload/%s.%d" % (name, i), FXF_WRITE | FXF_CREAT |
                   FXF_TRUNC)
        hs.append((s, h))
    ok = refused = 0
    data = b"x" * 32768
    off = 0
    while off < size:
        for s, h in hs:
            if h is None:
                continue
            kind, b = s.call(WRITE, sstr(h) + struct.pack(">Q", off) +
                             sstr(data[:size - off]))
            if status_of(kind, b) == 0:
                ok += 1
            else:
                refused += 1
        off += len(data)
    for s, h in hs:
        if h is not None:
            s.close(h)
    print("ok", ok)
    print("refused", refused)


def pastend(s, path, size, count):
    seen = []
    for _ in range(count):
        h = s.open(path)
        s.send(s.read_req(h, size, 65536))
        kind, b = s.reply()
        seen.append("eof" if status_of(kind, b) == 1 else
                    "data" if kind == DATA else str(kind))
        s.close(h)
    print(" ".join(sorted(set(seen))))


def whole(s, path):
    h = s.open(path)
    got = 0
    while True:
        s.send(s.read_req(h, got, 32768))
        kind, b = s.reply()
        if kind != DATA:
            break
        got += struct.unpack(">I", b[4:8])[0]
    s.close(h)
    print(got)


def idle(s, secs):
    s.ch.settimeout(float(secs))
    try:
        d = s.ch.recv(1)
        print("closed" if not d else "data")
    except socket.timeout:
        print("open")


def main():
    port, user, key, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3], \
        sys.argv[4]
    a = sys.argv[5:]
    s = Sftp(port, user, key)
    if mode == "flood":
        flood(s, a[0], a[1], float(a[2]))
    elif mode == "pipeline":
        pipeline(s, a[0], a[1], int(a[2]))
    elif mode == "handles":
        sessions = [s]
        if len(a) > 3 and a[3] == "two":
            sessions.append(Sftp(port, user, key))
        handles(sessions, a[0], int(a[1]), int(a[2]))
    elif mode == "pastend":
        pastend(s, a[0], int(a[1]), int(a[2]))
    elif mode == "whole":
        whole(s, a[0])
    elif mode == "idle":
        idle(s, a[0])
    elif mode == "baseline":  # connected, then nothing until told
        print("sent 0", flush=True)
        sys.stdin.readline()
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
