#!/usr/bin/env python3
"""Write the hand-made seed inputs of the fuzz harnesses (tests/fuzz/NAME/).

Run from the top of the tree to regenerate them; "make check" replays
whatever the folders hold (seeds, and crash inputs kept once fixed, which
this script never touches).  The public keys were made once with
ssh-keygen and are pasted here, so the seeds do not change between runs.
"""
import os
import struct

def put(name, fname, data):
    os.makedirs(os.path.join("tests/fuzz", name), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join("tests/fuzz", name, fname), "wb") as f:
        f.write(data)

# -- charset: [cs | dir<<7] [ncuts] [cut...] stream -----------------------
CS = ["utf8", "koi8r", "koi8u", "cp1251", "cp866"]
TEXT = ("Ёлка — «ёлочка», әлифба җ ң ү ө һ, Ґ є і ї ў; ┌─┐│└┘▒ "
        "уда\u0301рение, 中文 😀\n").encode()
for cs, name in enumerate(CS):
    put("charset", "out-%s" % name, bytes([cs | 0x80, 3, 1, 2, 5]) + TEXT)
    if cs == 0:
        put("charset", "in-utf8", bytes([0, 4, 1, 1, 1, 7]) + TEXT)
    else:
        put("charset", "in-%s" % name, bytes([cs, 2, 64, 1]) +
            bytes(range(0x80, 0x100)) + b"ASCII\r\n")
put("charset", "in-utf8-broken", bytes([0, 5, 1, 1, 2, 1, 3]) +
    b"\xe0\x80\xed\xa0\x80\xf4\x90\x80\x80\xc0\xaf\xff\xfe\xd0")
put("charset", "out-koi8r-broken", bytes([1 | 0x80, 2, 1, 1]) +
    b"\xd0\xd0\x81\xc2\x80\xc2\x9f\xe2\x82")

# -- pump: [cs] [ncuts] [cut...] what the UI writes -------------------------
ESC = b"\x1b"
def mark(body):
    return ESC + b"_parta;" + body + ESC + b"\\"
TOKEN = b"0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
put("pump", "cs-koi8r", bytes([0, 3, 4, 9, 20]) + "Привет ".encode() +
    mark(b"cs=KOI8-R") + "Ёлка «ура»\n".encode())
put("pump", "out-sample", bytes([1, 2, 30, 3]) + mark(b"out=CP866") +
    "пример".encode() + mark(b"out") + "снова".encode() +
    ESC + b"[1;1H" + ESC + b"[0m")
put("pump", "bin", bytes([3, 4, 5, 17, 40, 2]) + mark(b"bin=" + TOKEN) +
    b"**\x18B00\x1b_parta;cs=CP866\x1b\\" + mark(b"text=wrong") +
    mark(b"text=" + TOKEN) + "после".encode())
put("pump", "long-mark", bytes([0, 1, 10]) + ESC + b"_parta;" +
    b"x" * 70 + ESC + b"\\" + mark(b"unknown") + mark(b"cs\x00=x") +
    ESC + b"_part" + ESC + b"_parta;cs=UTF-8")
put("pump", "split-char", bytes([2, 3, 1, 1, 1]) + "ё".encode()[:1] +
    mark(b"cs=KOI8-U") + "ё".encode()[1:] + "ґ".encode())

# -- config: a partad.conf --------------------------------------------------
with open("share/partad.conf", "rb") as f:
    put("config", "example", f.read())
put("config", "set", "port = 22\nlisten_address 127.0.0.1 # here\n"
    "data_dir\t/srv/parta\nsyslog yes\nlog_level=debug\n"
    "idle_timeout 600\nidle_warning 60\ndefault_language en\n"
    "host_key\nzmodem_sz /usr/bin/sz\n")
put("config", "bad-number", "port 99999\n")
put("config", "bad-key", "no_such_key 1\n")
put("config", "bad-enum", "log_level loud\n")
put("config", "nul-crlf", b"port 2200\r\n\x00junk\nsyslog\tno\r\n")
put("config", "empty", b"")
put("config", "check", "idle_timeout 60\nidle_warning 120\n")

# -- userkey: a line from authorized_keys ----------------------------------
ED = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC+0MGJG1CEW+dqi28QLRw1MxDVzr2"
      "jrAyEZxXIiwc3R")
EC = ("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNT"
      "YAAABBBK9+PwdXA7U5PVR50XB9nrioZ2SFxCpEK+dO4lKPnlnNPJ17foJoaccSXHRA"
      "kv8datGKI2XuUb7p+BSLk8Q7v7o=")
EC5 = ("ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1Mj"
      "EAAACFBAH2AI+NO9Z6c+BfDCtoaSLfx3E6zoF5lS6eCNMSwrjinKMpDzF7LtYtmK/W"
      "l1XoO8vPE3xG93zgYGIt1ienEt/1JgFMjgQzkh5XR/0J54Tu3871oEzPHpOwLXkQSm"
      "cBl/VslXz5c6yut0JLuNV5DQnivfmZcpgprasHXsU7CX/5iRUNEQ==")
RSA = ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDi9xL5M74jrHyrFyjn3oUJvmxC7M"
      "mg1HUcIz/F+1dHp7ZSlRa/4IdNyyE6o87K6VVI+YXVwUjdURhU/MzJECI21ivSIpwY"
      "/BDNxvlofhHKybX9YK2noIiWSLFvzg3bD5C+I6CXqqBA0jrbUJ05AwZSRa9Ab+2xwS"
      "mwJztyv/vMT2hJmisXWIfT6ZIqFJxq8J7wFRmKKwOBq43wX2MqQSJ8JogDaD1b7ILA"
      "DirD7n7omwSZ+4J9Zl3CXSyUuDKnXXgqgH6YTLHsCj8QM69u22sl9wZrJdP2MOMuUq"
      "e5t5I46Xgnl2LZGroiN8NI1ofLDXtTO+bt6zIqSh46HaCwbo7/")
put("userkey", "ed25519", ED + " anna@school\n")
put("userkey", "ecdsa", EC + "\tанна@школа")
put("userkey", "ecdsa521", "  " + EC5)
put("userkey", "rsa", RSA + " x")
put("userkey", "options", 'from="10.0.0.1" ' + ED)
put("userkey", "type-mismatch", "ssh-rsa " + ED.split()[1])
put("userkey", "control", ED + " a\x1b[2Jb")
put("userkey", "dss", "ssh-dss AAAAB3NzaC1kc3MAAACBAP")
put("userkey", "trailing", ED + "AAAA comment")
put("userkey", "empty", "")


def sk_blobs():
    """Security-key blobs built from the keys above (no token needed)."""
    import base64
    def ssh_str(b):
        return struct.pack(">I", len(b)) + b
    def fields(b64):
        raw, out = base64.b64decode(b64), []
        while raw:
            n = struct.unpack(">I", raw[:4])[0]
            out.append(raw[4:4 + n])
            raw = raw[4 + n:]
        return out
    ed = fields(ED.split()[1])
    ec = fields(EC.split()[1])
    t1 = b"sk-ssh-ed25519@openssh.com"
    t2 = b"sk-ecdsa-sha2-nistp256@openssh.com"
    b1 = ssh_str(t1) + ssh_str(ed[1]) + ssh_str(b"ssh:")
    b2 = ssh_str(t2) + ssh_str(ec[1]) + ssh_str(ec[2]) + ssh_str(b"ssh:")
    return [(t1 + b" " + base64.b64encode(b1)).decode(),
            (t2 + b" " + base64.b64encode(b2)).decode()]
SK = sk_blobs()
put("userkey", "sk-ed25519", SK[0] + " yubikey")
put("userkey", "sk-ecdsa", SK[1])

# -- search: a query as typed -----------------------------------------------
for i, q in enumerate([
        "ёлка", '"дети нарядили"', "ёлк*", "-школа ёлка", "дроби OR доли",
        "ёлка ИЛИ әлифба", "OR", '"незакрытая', "- - -", '* ** ""* "a"*',
        "NEAR(a b) AND c:d ^e", "a " * 20, "я" * 201, "2024-02-29",
        "\x01mark\x02 it", "-ёлка", "a OR -b", "ЁЛКИ зайка Җир"]):
    put("search", "q%02d" % i, q)

# -- sftp: the packets a client sends ---------------------------------------
def u32(v):
    return struct.pack(">I", v)
def sstr(s):
    if isinstance(s, str):
        s = s.encode()
    return u32(len(s)) + s
def pkt(t, body=b""):
    return u32(len(body) + 1) + bytes([t]) + body
INIT = pkt(1, u32(3))
def req(t, rid, body=b""):
    return pkt(t, u32(rid) + body)
ATTR0 = u32(0)
put("sftp", "list", INIT + req(16, 1, sstr(".")) + req(11, 2, sstr("/")) +
    req(12, 3, sstr("0")) + req(12, 4, sstr("0")) + req(4, 5, sstr("0")) +
    req(11, 6, sstr("/library/math")) + req(12, 7, sstr("0")) +
    req(11, 8, sstr("/ascii/math")) + req(12, 9, sstr("0")))
put("sftp", "download", INIT +
    req(17, 1, sstr("/library/math/Дроби.txt")) +
    req(3, 2, sstr("/library/math/Дроби.txt") + u32(1) + ATTR0) +
    req(5, 3, sstr("0") + struct.pack(">Q", 0) + u32(32768)) +
    req(5, 4, sstr("0") + struct.pack(">Q", 22) + u32(32768)) +
    req(8, 5, sstr("0")) + req(4, 6, sstr("0")) +
    req(7, 7, sstr("/ascii/math/Drobi.txt")))
put("sftp", "upload", INIT +
    req(3, 1, sstr("/upload/x.txt") + u32(0x1a) +
        u32(0x0d) + struct.pack(">Q", 5) + u32(0o644) + u32(0) + u32(0)) +
    req(6, 2, sstr("0") + struct.pack(">Q", 0) + sstr("hello")) +
    req(10, 3, sstr("0") + u32(8) + u32(1) + u32(1700000000)) +
    req(4, 4, sstr("0")) +
    req(3, 5, sstr("x.txt") + u32(0x06) + ATTR0) +
    req(6, 6, sstr("0") + struct.pack(">Q", 0) + sstr("more")) +
    req(4, 7, sstr("0")) +
    req(9, 8, sstr("/upload/x.txt") + u32(8) + u32(1) + u32(1)) +
    req(18, 9, sstr("/upload/x.txt") + sstr("/upload/y.txt")) +
    req(13, 10, sstr("/upload/y.txt")) + req(14, 11, sstr("/upload/d") + ATTR0) +
    req(15, 12, sstr("/upload/d")) + req(19, 13, sstr("/upload/l")) +
    req(200, 14))
put("sftp", "quota", INIT +
    req(3, 1, sstr("/upload/big") + u32(0x0a) + ATTR0) +
    req(6, 2, sstr("0") + struct.pack(">Q", 8190) + sstr("toolong")) +
    req(6, 3, sstr("0") + struct.pack(">Q", 0) + sstr("again")) +
    req(6, 4, sstr("0") + struct.pack(">Q", 2**63 - 2) + sstr("x")))
# Two sparse files fill most of the 12 KB quota (the harness's limits):
# a third open is refused, and a write that would grow one past it.
put("sftp", "quota-sparse", INIT +
    req(3, 1, sstr("/upload/s0") + u32(0x0a) + ATTR0) +
    req(3, 2, sstr("/upload/s1") + u32(0x0a) + ATTR0) + b"".join(
        req(6, 3 + k, sstr(str(k)) + struct.pack(">Q", 7000) + sstr("z")) +
        req(6, 5 + k, sstr(str(k)) + struct.pack(">Q", 8000) + sstr("zz"))
        for k in range(2)) +
    req(3, 7, sstr("/upload/s2") + u32(0x0a) + ATTR0) +
    req(4, 8, sstr("0")) +
    req(3, 9, sstr("/upload/s0") + u32(0x02) + ATTR0) +
    req(6, 10, sstr("0") + struct.pack(">Q", 8100) + sstr("z")) +
    req(6, 11, sstr("0") + struct.pack(">Q", 0) + sstr("z")) +
    req(18, 12, sstr("/upload/s1") + sstr("/upload/s0")))
put("sftp", "bad", INIT + req(3, 1, u32(1000)) + req(5, 2, sstr("99")) +
    req(3, 3, sstr("/upload/x") + u32(0x0a) + u32(0x80000000) + u32(2) +
        sstr("a") + sstr("b")) +
    req(4, 4, sstr("-1")) + pkt(17) + u32(0x7fffffff))
put("sftp", "escape", INIT + req(17, 1, sstr("/upload/../../etc/passwd")) +
    req(3, 2, sstr("/upload/.hidden") + u32(0x0a) + ATTR0) +
    req(17, 3, sstr(b"/library/\xff\x00x")) + req(16, 4, sstr("/a/./b/..//")))

# The calendar files of /events (issue 16): the harness's store holds
# one event anna signed up for.
put("sftp", "events", INIT + req(11, 1, sstr("/events")) +
    req(12, 2, sstr("0")) + req(12, 3, sstr("0")) + req(4, 4, sstr("0")) +
    req(17, 5, sstr("/events/mine.ics")) +
    req(3, 6, sstr("/events/mine.ics") + u32(1) + ATTR0) +
    req(5, 7, sstr("0") + struct.pack(">Q", 0) + u32(32768)) +
    req(5, 8, sstr("0") + struct.pack(">Q", 100) + u32(7)) +
    req(5, 9, sstr("0") + struct.pack(">Q", 2**63) + u32(1)) +
    req(8, 10, sstr("0")) + req(4, 11, sstr("0")) +
    req(3, 12, sstr("/events/1.ics") + u32(1) + ATTR0) +
    req(3, 13, sstr("/events/1.ics") + u32(0x1a) + ATTR0) +
    req(17, 14, sstr("/events/0.ics")) + req(17, 15, sstr("/events/1x.ics")) +
    req(17, 16, sstr("/events/99.ics")) + req(11, 17, sstr("/events/1.ics/x")) +
    req(13, 18, sstr("/events/1.ics")) + req(16, 19, sstr("/events/../events")))

# -- sync: [side] parta-sync frames (man/parta-sync.5) ----------------------
# side bit 0: the server sent them.  Each frame is u32 length, type, body.
def frame(t, body=b""):
    return u32(len(body) + 1) + bytes([t]) + body
def q(v):
    return struct.pack(">Q", v)
UUID = bytes.fromhex("0f1e2d3c4b5a49788695a4b3c2d1e0f9")
SHA = bytes(range(32))
def field(name, t, val=b""):
    return sstr(name) + bytes([t]) + val
def row(op, entity, uuid, fields):
    return bytes([op]) + sstr(entity) + uuid + u32(len(fields)) + b"".join(fields)
POST = row(1, "post", UUID, [
    field("subject", 2, sstr("Дроби")), field("body", 2, sstr("одна вторая\n")),
    field("board", 7, UUID), field("created", 1, q(1764590000)),
    field("edited", 0), field("raw", 3, sstr(b"\x00\xff")),
    field("choice", 4, u32(2) + q(1) + q(3)),
    field("options", 5, u32(2) + sstr("да") + sstr("нет")),
    field("read", 6, u32(2) + q(1) + q(3) + q(5) + q(9))])
HELLO = frame(0x01, u32(1) + u32(1) + u32(2) + sstr("live") + sstr("files") +
              sstr("parta 0.3"))
put("sync", "client", b"\x00" + HELLO + frame(0x02, q(0) + u32(65536)) +
    frame(0x03, UUID + sstr("reply") + u32(2) + field("thread", 7, UUID) +
          field("body", 2, sstr("Спасибо!"))) +
    frame(0x04, UUID + sstr("post") + u32(2) + q(1) + q(10) + q(12) + q(12)) +
    frame(0x05, SHA + q(0) + u32(65536)) +
    frame(0x06, SHA + q(5) + q(0) + sstr("Дроби.txt") + sstr("hello")))
put("sync", "server", b"\x01" +
    frame(0x81, u32(1) + u32(1) + sstr("live") + u32(262144) + sstr("partad")) +
    frame(0x82, u32(2) + POST + row(2, "mail_box", UUID, []) + q(77) + b"\x01") +
    frame(0x82, u32(0) + q(78) + b"\x06") +
    frame(0x83, q(100) + q(900)) +
    frame(0x84, UUID + b"\x01" + u32(1) + POST) +
    frame(0x85, b"\x01" + UUID + u32(103) + sstr("thread") + sstr("Тема закрыта.")) +
    frame(0x85, b"\x02" + SHA + u32(300) + sstr("") + sstr("Нет места.")) +
    frame(0x86, q(901)) +
    frame(0x87, SHA + q(0) + q(5) + SHA + sstr("hello")) +
    frame(0x88, SHA + q(5)) +
    frame(0xff, u32(4) + sstr("PULL while a pull is under way")))
put("sync", "bad", b"\x00" + HELLO +
    frame(0x01, u32(9)) +
    frame(0x02, q(2**63) + u32(65536)) +
    frame(0x03, UUID + sstr("reply") + u32(0x41)) +
    frame(0x03, UUID + sstr("reply") + u32(1) + field("body", 2, sstr(b"\xed\xa0\x80"))) +
    frame(0x04, UUID + sstr("post") + u32(2) + q(5) + q(9) + q(3) + q(4)) +
    frame(0x86, q(1)) + frame(0x42) + frame(0x02, q(1) + u32(65536) + b"x") +
    frame(0x03, UUID + sstr("reply") + u32(0x10000000)) +
    u32(1) + b"\x02")
put("sync", "toobig", b"\x01" + frame(0x86, q(1)) + u32(262145) + b"\x86")
# BATCH_COLUMNS (capability columns): schemas, then rows of values.
def varint(v):
    out = b""
    while v >= 0x80:
        out += bytes([(v & 0x7f) | 0x80])
        v >>= 7
    return out + bytes([v])
def vstr(s):
    b = s.encode() if isinstance(s, str) else s
    return varint(len(b)) + b
def zz(v):
    return v * 2 if v >= 0 else -v * 2 - 1
COLS = (varint(2) +
    vstr("post") + varint(4) + vstr("id") + b"\x01" + vstr("body") + b"\x02" +
    vstr("edited") + b"\x01" + vstr("read") + b"\x06" +
    vstr("mail_box") + varint(0) +
    varint(3) +
    varint(0) + UUID + b"\x00" + varint(zz(1000)) + vstr("Дроби") +
    varint(zz(5)) + varint(2) + varint(zz(1)) + varint(2) + varint(zz(2)) +
    varint(4) +
    varint(0) + UUID + b"\x04" + varint(zz(1)) + vstr("одна вторая\n") +
    varint(0) +
    varint(3) + UUID)
put("sync", "columns", b"\x01" +
    frame(0x81, u32(1) + u32(2) + sstr("live") + sstr("columns") +
          u32(262144) + sstr("partad")) +
    frame(0x89, COLS + q(77) + b"\x01") +
    frame(0x89, varint(0) + varint(0) + q(78) + b"\x00") +
    frame(0x89, COLS[:-3] + varint(5) + UUID + q(79) + b"\x00"))
# Capabilities stream and estimate: ESTIMATE, then batches the server
# sent unasked (PUSHED, with and without MORE).
put("sync", "stream", b"\x01" +
    frame(0x81, u32(1) + u32(3) + sstr("live") + sstr("stream") +
          sstr("estimate") + u32(262144) + sstr("partad")) +
    frame(0x8b, q(1000)) +
    frame(0x82, u32(1) + POST + q(80) + b"\x09") +
    frame(0x82, u32(0) + q(81) + b"\x08") +
    frame(0x82, u32(0) + q(82) + b"\x18") +
    frame(0x8b, q(2**63)))

# -- article: a netnews article as INN hands it to parta-news ---------------
ART_U = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
def article(extra, body, mid="<%s@kazan-1>" % ART_U,
            frm="=?UTF-8?B?0JPRg9C70YzQvdCw0YDQsA==?= <gulnara@kazan-1>",
            subj="=?UTF-8?B?0JTRgNC+0LHQuA==?="):
    return ("Path: chally!kazan-1!not-for-mail\r\nMessage-ID: %s\r\n"
            "Newsgroups: parta.tatarstan.math\r\nFrom: %s\r\nSubject: %s\r\n"
            "Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n%s\r\n" %
            (mid, frm, subj, extra)).encode() + body
MIME = ("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
        "Content-Transfer-Encoding: %s\r\n")
SIG = "X-Parta-Signature: ed25519 " + "A" * 86 + "==\r\n"
put("article", "post", article(MIME % "8bit" + SIG,
    "Коллеги, как вы объясняете дроби?\r\n..точка\r\n".encode()))
put("article", "reply", article(MIME % "8bit" +
    "References: <11111111-2222-4333-8444-555555555555@chally>\r\n"
    " <22222222-2222-4333-8444-555555555555@kazan-1>\r\n", b"ok\r\n",
    frm="gulnara@kazan-1 (=?UTF-8?Q?=D0=93=D1=83=D0=BB=D1=8F?=)",
    subj="Re: =?utf-8?q?=D0=94=D1=80=D0=BE=D0=B1=D0=B8?= =?UTF-8?B?IQ==?="))
put("article", "base64", article(MIME % "base64",
    b"0JrQvtC70LvQtdCz0Lgs\r\nINC60LDQug==\r\n"))
put("article", "cancel", article("Control: cancel <%s@kazan-1>\r\n" % ART_U,
    b"hidden\r\n", mid="<cancel.%s@kazan-1>" % ART_U,
    subj="cmsg cancel <%s@kazan-1>" % ART_U))
put("article", "escape", article(MIME % "8bit", b"\x1b[2J\x1b]0;owned\x07\r\n"))
put("article", "koi8", article("Content-Type: text/plain; charset=koi8-r\r\n",
    b"\xf0\xd2\xc9\xd7\xc5\xd4\r\n"))
