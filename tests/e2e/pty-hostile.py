#!/usr/bin/env python3
# pty-hostile.py: a hostile client for t-limits.sh.  It logs in as the
# guest "new" (no password) with paramiko, which, unlike OpenSSH, asks
# for any window size, then reports what partad's processes did, as
# "key=value" lines the test checks:
#
#   menu=1          the first screen (the encoding menu) arrived
#   pty=ROWSxCOLS   the size of the UI's pty, as the kernel has it
#   rss_kb=N        the largest VmRSS among partad's descendants
#   form=1          after Enter, the registration form arrived
#                   (0 when the session ended instead)
#
#   pty-hostile.py PORT PARTAD_PID COLS ROWS [WCOLS WROWS]
# With WCOLS WROWS, it then sends a window change to that size and
# reports pty= and rss_kb= again.  Every wait is bounded.
import fcntl
import os
import struct
import sys
import termios
import time

import paramiko


def descendants(root):
    kids = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        kids.setdefault(ppid, []).append(int(pid))
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        for c in kids.get(p, []):
            out.append(c)
            todo.append(c)
    return out


def status(pid, field):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def ui_pty(root):
    """The size of the pty the UI (a descendant on a pts) runs on."""
    for pid in descendants(root):
        try:
            tty = os.readlink("/proc/%d/fd/0" % pid)
        except OSError:
            continue
        if tty.startswith("/dev/pts/"):
            fd = os.open(tty, os.O_RDONLY | os.O_NOCTTY)
            try:
                ws = fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8)
            finally:
                os.close(fd)
            rows, cols = struct.unpack("HHHH", ws)[:2]
            return "%dx%d" % (rows, cols)
    return "none"


def report(root, seconds):
    """Sample for a while: the UI has time to allocate what it will."""
    rss = 0
    end = time.time() + seconds
    while time.time() < end:
        for p in descendants(root):
            rss = max(rss, status(p, "VmRSS"))
        time.sleep(0.1)
    print("pty=%s" % ui_pty(root))
    print("rss_kb=%d" % rss)
    sys.stdout.flush()


def wait_for(chan, buf, word, seconds):
    end = time.time() + seconds
    while time.time() < end:
        if word in buf.decode("utf-8", "replace"):
            return buf, True
        if chan.recv_ready():
            buf += chan.recv(65536)
        elif chan.exit_status_ready() or chan.closed:
            break
        else:
            time.sleep(0.05)
    return buf, word in buf.decode("utf-8", "replace")


def main():
    port, root = int(sys.argv[1]), int(sys.argv[2])
    cols, rows = int(sys.argv[3]), int(sys.argv[4])
    t = paramiko.Transport(("127.0.0.1", port))
    t.start_client(timeout=20)
    t.auth_none("new")
    chan = t.open_session(timeout=20)
    chan.get_pty(term="xterm", width=cols, height=rows)
    chan.invoke_shell()
    buf, ok = wait_for(chan, b"", "лимон", 20)
    print("menu=%d" % ok)
    report(root, 2)
    if len(sys.argv) > 6:
        chan.resize_pty(width=int(sys.argv[5]), height=int(sys.argv[6]))
        report(root, 2)
    try:
        chan.send(b"\r")
        buf, ok = wait_for(chan, b"", "Регистрация", 20)
    except OSError:
        ok = False
    print("form=%d" % ok)
    sys.stdout.flush()
    t.close()


main()
