# parta: a text-mode BBS for teachers of rural schools.
#
#   make            build partad, parta-sysop and the message catalogues
#   make run        install what is missing, build, start a demo on 127.0.0.1:2222
#   make check      install what is missing, build, run every test (also under ASan/UBSan)
#   make bench      weak-link benchmarks against OpenSSH; writes tests/bench/RESULTS.md
#   make install    install under $(DESTDIR)$(PREFIX)
#   make deb        build the Debian package into build/deb/ and lintian it
#   make SANITIZE=1 build with AddressSanitizer and UndefinedBehaviorSanitizer
#   make fuzz       build the fuzz harnesses (clang, libFuzzer), run each FUZZ_SECONDS

PREFIX	?= /usr/local
DESTDIR	?=
BINDIR	 = $(PREFIX)/bin
SBINDIR	 = $(PREFIX)/sbin
MANDIR	 = $(PREFIX)/share/man
LOCALEDIR = $(PREFIX)/share/locale
SHAREDIR = $(PREFIX)/share/parta
UNITDIR	 = $(PREFIX)/lib/systemd/system

CC	?= cc
PKGS	 = libssh sqlite3 ncursesw libutf8proc libcrypto hunspell libzip libzstd libical
# parta-sysop and the unit tests link no curses (libparta-ui.a is what needs it).
PKGS_NOUI = libssh sqlite3 libutf8proc libcrypto hunspell libzip libzstd libical
WARN	 = -Wall -Wextra -Werror -Wformat=2 -Wmissing-prototypes \
	   -Wstrict-prototypes -Wshadow -Wwrite-strings -Wpointer-arith \
	   -Wno-format-nonliteral
CFLAGS	?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Icommon \
	   -DLOCALEDIR='"$(LOCALEDIR)"' $(CPPFLAGS) $(PKG_CFLAGS)
LDLIBS_NOUI = $(PKG_LIBS_NOUI) -lcrypt -lstemmer
LDLIBS	 = $(PKG_LIBS) -lcrypt -lstemmer

ifeq ($(FUZZ),1)
# The fuzz harnesses' build (make fuzz): clang with libFuzzer's coverage.
FUZZ_CC	?= clang-14
CC	 = $(FUZZ_CC)
B	 = build/fuzz
ALL_CFLAGS += -O1 -fno-omit-frame-pointer \
	   -fsanitize=fuzzer-no-link,address,undefined \
	   -fno-sanitize-recover=undefined
LDFLAGS	+= -fsanitize=address,undefined
else ifeq ($(SANITIZE),1)
B	 = build/san
ALL_CFLAGS += -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	   -fno-sanitize-recover=undefined
LDFLAGS	+= -fsanitize=address,undefined
else
B	 = build
endif

# pkg-config is asked only when building, so "make deps" works without it.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
PKG_LIBS_NOUI = $(shell pkg-config --libs $(PKGS_NOUI) 2>/dev/null)

# Sources by folder (ARCHITECTURE: the layers).  common/ is the data
# layer every program links (no curses, no pty, no sockets): libparta.a.
# common/ui/ holds the screens the BBS and the client both show, built as
# libparta-ui.a (ncursesw).  bbs/ is partad's and parta-sysop's alone.
COMMON_SRC = $(sort $(wildcard common/*.c))
UI_SRC	   = $(sort $(wildcard common/ui/*.c))
PARTAD_SRC = bbs/partad.c bbs/session.c bbs/pump.c bbs/sftp.c \
	   bbs/ui-host.c bbs/ui-register.c bbs/ui-reset.c bbs/ui-upload.c \
	   bbs/ui-waiting.c bbs/ui-zmodem.c bbs/worker.c bbs/request-keys.c \
	   bbs/ui-digest.c \
	   bbs/relay.c bbs/syncd.c bbs/sync-files.c
SYSOP_SRC  = $(sort $(wildcard bbs/sysop*.c))
# The INN gateway for shared boards (parta-news(8)).
NEWS_SRC   = bbs/parta-news.c
CLIENT_SRC = $(sort $(wildcard client/*.c))
UNIT_SRC   = $(wildcard tests/unit/test-*.c)
LANGS	   = ru

COMMON_OBJ = $(COMMON_SRC:%.c=$(B)/%.o)
UI_OBJ	   = $(UI_SRC:%.c=$(B)/%.o)
LIBPARTA   = $(B)/libparta.a
LIBUI	   = $(B)/libparta-ui.a
PARTAD_OBJ = $(PARTAD_SRC:%.c=$(B)/%.o)
SYSOP_OBJ  = $(SYSOP_SRC:%.c=$(B)/%.o)
NEWS_OBJ   = $(NEWS_SRC:%.c=$(B)/%.o)
CLIENT_OBJ = $(CLIENT_SRC:%.c=$(B)/%.o)
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
# The weak-link relay (tests and bench), and the bench's own drivers;
# the UI's test host (tests/uihost/, t-uihost.sh).
TEST_BIN   = $(UNIT_BIN) $(B)/tests/parta-relay $(B)/tests/parta-uihost \
	   $(B)/tests/parta-syncdrv
E2E_BIN	   = $(B)/tests/parta-relay $(B)/tests/parta-uihost $(B)/tests/parta-syncdrv \
	   $(B)/tests/slowsync.so
BENCH_BIN  = $(B)/tests/parta-relay $(B)/tests/parta-load $(B)/tests/parta-ptytime \
	   $(B)/tests/parta-hold $(B)/tests/parta-syncdrv $(B)/tests/parta-sync-frames
MO	   = $(LANGS:%=build/locale/%/LC_MESSAGES/parta.mo)
# A fuzz harness per parser of untrusted bytes (tests/fuzz/): "make fuzz"
# runs them under libFuzzer; "make check" replays each one's corpus
# (tests/fuzz/NAME/) through a plain main, test-fuzz-NAME.
FUZZ_NAMES = article charset config digest pump qwk search sftp sync userkey
FUZZ_SECONDS ?= 60
TEST_BIN  += $(FUZZ_NAMES:%=$(B)/tests/test-fuzz-%)

# Debian packages: to build, for partad to run (programs it starts, the
# search dictionary), to run the tests.  Each is explained in README.
DEB_BUILD = gcc make pkg-config gettext libssh-dev libsqlite3-dev \
	   libncurses-dev libreadline-dev libcrypt-dev libutf8proc-dev \
	   libstemmer-dev libssl-dev libhunspell-dev libzip-dev libzstd-dev
# Events as iCalendar files (common/event-ics.c): libical writes RFC 5545.
DEB_BUILD += libical-dev
DEB_RUN	  = lrzsz hunspell-ru
DEB_TEST  = openssh-client tmux putty-tools mandoc sqlite3 procps lftp luit
# Hostile clients: any pty size, window change, user name or version
# string; SFTP requests whose replies are never read (t-limits.sh,
# t-log.sh, t-sftp-hostile.sh).
DEB_TEST += python3-paramiko
# Two districts' INN servers, linked through the relay (t-news.sh, the
# federation bench).
DEB_TEST += inn2
# A QWK offline reader, for the digest's QWK packets (t-digest-qwk.sh);
# locales for the CP866 locale MultiMail runs in (localedef).
DEB_TEST += multimail locales
# Headless Chromium opens the digest's HTML (t-digest-html.sh).  Not in
# DEB_TEST: in Debian 12 chromium-common needs x11-utils 7.7+5, which
# the luit package breaks (apt removes luit, and x11-utils' own luit
# 1.1.1 has no CP866).  "make deps-test" installs the libraries the two
# packages need but x11-utils, and unpacks the packages themselves into
# build/chromium (tests/browser.sh: 112 MB downloaded, 349 MB unpacked).
# "make deps-browser" installs the package instead; the luit tests then
# fail.
DEB_BROWSER = chromium
# A real iCalendar parser reads back the .ics partad serves (t-event.sh).
DEB_TEST += python3-icalendar
DEB_BENCH = openssh-server
# parta-sync's benchmark (tests/bench/b-sync.sh): real Russian prose for
# its posts, zstd and zlib for the compression study, and the baseline
# a teacher might use instead, Dovecot's IMAP fetched by mbsync.
DEB_BENCH += fortunes-ru zstd libzstd-dev zlib1g-dev dovecot-imapd isync
# unzip for the size of a QWK packet's messages (b-digest-qwk.sh).
DEB_BENCH += unzip
# To build the package (make deb); tests/pkg/t-deb.sh needs DEB_TEST too.
DEB_PKG	  = debhelper dpkg-dev lintian
DEB_FUZZ  = clang-14 libclang-rt-14-dev

.PHONY: all deps deps-test deps-browser run check unit e2e lint-man install clean bench fuzz
.PHONY: programs deb check-deb

# The end-to-end scripts' own programs are built too: tests/run.sh -k
# after "make SANITIZE=1" must not run a stale relay.
all: deps $(B)/partad $(B)/parta-sysop $(B)/parta-news $(B)/parta $(MO) \
	   $(E2E_BIN)
# The same without installing packages (debian/rules builds this).
programs: $(B)/partad $(B)/parta-sysop $(B)/parta-news $(B)/parta $(MO)

# Install missing Debian packages (as root, or through sudo).
deps:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_RUN)
deps-test:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_RUN) $(DEB_TEST)
	@sh tests/browser.sh build/chromium || \
	    echo 'parta: no headless chromium (tests/browser.sh failed): t-digest-html will skip' >&2
deps-browser:
	@sh tests/deps.sh $(DEB_BROWSER)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# LOCALEDIR is compiled into config.o: rebuild it when PREFIX changes.
$(B)/prefix.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(LOCALEDIR)' | cmp -s - $@ || echo '$(LOCALEDIR)' >$@
$(B)/common/config.o $(B)/client/parta.o $(B)/client/ui-host.o: $(B)/prefix.stamp
FORCE:

$(LIBPARTA): $(COMMON_OBJ)
	rm -f $@
	$(AR) rcs $@ $^
$(LIBUI): $(UI_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

# The UI library calls back into its host (partad's is in bbs/), so it
# comes first; the data layer last.
$(B)/partad: $(PARTAD_OBJ) $(LIBUI) $(LIBPARTA)
	$(CC) $(LDFLAGS) -o $@ $(PARTAD_OBJ) $(LIBUI) $(LIBPARTA) $(LDLIBS)

# The companion client: the shared screens, the data layer, libssh.
$(B)/parta: $(CLIENT_OBJ) $(LIBUI) $(LIBPARTA)
	$(CC) $(LDFLAGS) -o $@ $(CLIENT_OBJ) $(LIBUI) $(LIBPARTA) $(LDLIBS)

$(B)/parta-sysop: $(SYSOP_OBJ) $(LIBPARTA)
	$(CC) $(LDFLAGS) -o $@ $(SYSOP_OBJ) $(LIBPARTA) $(LDLIBS_NOUI) -lreadline

$(B)/parta-news: $(NEWS_OBJ) $(LIBPARTA)
	$(CC) $(LDFLAGS) -o $@ $(NEWS_OBJ) $(LIBPARTA) $(LDLIBS_NOUI)

$(B)/tests/test-%: tests/unit/test-%.c $(LIBPARTA)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIBPARTA) $(LDLIBS_NOUI)

# The request table's test applies the key kinds too, whose apply is the
# server's (bbs/request-keys.c).
$(B)/tests/test-request: tests/unit/test-request.c $(B)/bbs/request-keys.o \
    $(LIBPARTA)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit -Ibbs $(LDFLAGS) -o $@ $< \
	    $(B)/bbs/request-keys.o $(LIBPARTA) $(LDLIBS_NOUI)

# parta-sync's files are the server's (bbs/sync-files.c), over a real store.
$(B)/tests/test-sync-files: tests/unit/test-sync-files.c \
    $(B)/bbs/sync-files.o $(LIBPARTA)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit -Ibbs $(LDFLAGS) -o $@ $< \
	    $(B)/bbs/sync-files.o $(LIBPARTA) $(LDLIBS_NOUI)

# The pump's core (common/pump-conv.c) needs no libssh, no SQLite: its
# test links only what it draws from libparta.a (ldd shows no libssh).
PKG_LIBS_PUMP = $(shell pkg-config --libs libutf8proc 2>/dev/null)
$(B)/tests/test-pump: tests/unit/test-pump.c $(LIBPARTA)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIBPARTA) \
	    $(PKG_LIBS_PUMP)

# The key tables, without a terminal: two objects of the UI library,
# the screen functions they call stubbed in the test.
KEYS_TEST_OBJ = $(B)/common/ui/ui-keys.o $(B)/common/ui/ui-menu.o
$(B)/tests/test-ui-keys: tests/unit/test-ui-keys.c $(KEYS_TEST_OBJ) $(LIBPARTA)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< \
	    $(KEYS_TEST_OBJ) $(LIBPARTA) $(LDLIBS)

# A fuzz harness, replayed over its corpus by tests/fuzz/replay.c (any
# compiler), or linked with libFuzzer (make fuzz).  The pump's and the
# SFTP server's harnesses include their .c file to reach static code.
# FUZZ_OBJ_NAME: the bbs/ objects a harness links besides its .c file;
# FUZZ_OMIT_NAME: the object of the file it includes.
FUZZ_OBJ_sftp = $(B)/bbs/worker.o $(B)/bbs/relay.o
FUZZ_OMIT_pump = $(B)/common/pump-conv.o
$(B)/tests/test-fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Ibbs -DFUZZ_NAME='"$*"' $(LDFLAGS) -o $@ $< \
	    tests/fuzz/replay.c $(FUZZ_OBJ_$*) \
	    $(filter-out $(FUZZ_OMIT_$*),$(COMMON_OBJ)) $(LDLIBS) -lpthread
$(B)/fuzz-%: tests/fuzz/fuzz-%.c $(COMMON_OBJ)
	$(CC) $(ALL_CFLAGS) -Ibbs -fsanitize=fuzzer $(LDFLAGS) -o $@ $< \
	    $(FUZZ_OBJ_$*) $(filter-out $(FUZZ_OMIT_$*),$(COMMON_OBJ)) \
	    $(LDLIBS) -lpthread
$(B)/tests/test-fuzz-pump $(B)/fuzz-pump: common/pump-conv.c common/pump-conv.h
$(B)/tests/test-fuzz-sftp $(B)/fuzz-sftp: bbs/sftp.c bbs/sftp.h $(FUZZ_OBJ_sftp)

# The UI's test host: the screens over a store file on its own terminal,
# linked with the two libraries and nothing of bbs/ (nor libssh: only
# bbs/ and common/userkey.c need it, and the UI no longer calls that).
PKGS_UIHOST = sqlite3 ncursesw libutf8proc libcrypto hunspell
$(B)/tests/parta-uihost: tests/uihost/host.c $(LIBUI) $(LIBPARTA)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBUI) $(LIBPARTA) \
	    $(shell pkg-config --libs $(PKGS_UIHOST) 2>/dev/null) -lcrypt -lstemmer

# Stand-alone test programs: one source file each, no common/ code.
$(B)/tests/parta-relay: tests/relay.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<
# A slow disk, preloaded (t-digest-bbs.sh): without the sanitizers,
# whose runtime must come first in the process.
$(B)/tests/slowsync.so: tests/slowsync.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -shared -fPIC -o $@ $< -ldl
$(B)/tests/parta-ptytime: tests/bench/ptytime.c tests/bench/clock.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<
$(B)/tests/parta-hold: tests/bench/hold.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<
$(B)/tests/parta-load: tests/bench/load.c tests/bench/clock.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< -lssh -lpthread

# The parta-sync driver of the tests and the bench (tests/e2e/t-sync*.sh):
# libssh and the codec both ends share.
$(B)/tests/parta-syncdrv: tests/sync/syncdrv.c $(LIBPARTA)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBPARTA) $(LDLIBS_NOUI)

# The search benchmark's generator and driver (tests/bench/b-search.sh).
$(B)/tests/parta-gen-posts: tests/bench/gen-posts.c $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(COMMON_OBJ) $(LDLIBS) -lm

# parta-sync's frames for its benchmark and the compression study.
$(B)/tests/parta-sync-frames: tests/bench/sync-frames.c $(LIBPARTA)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBPARTA) $(LDLIBS_NOUI) -lzstd -lz
# A language's catalogue is its main file plus one fragment per module
# (share/po/ru.po, share/po/ru-board.po, ...).
build/locale/%/LC_MESSAGES/parta.mo: share/po/%.po $(wildcard share/po/*-*.po)
	@mkdir -p $(@D)
	msgcat --use-first share/po/$*.po $(wildcard share/po/$*-*.po) | \
	    msgfmt --check -o $@ -

# Regenerate the template after changing user-facing strings; "make check"
# fails when a string lacks its Russian translation.
share/po/parta.pot: $(COMMON_SRC) $(UI_SRC) $(PARTAD_SRC) $(SYSOP_SRC) $(CLIENT_SRC)
	xgettext --from-code=UTF-8 -k_ -kN_ --package-name=parta \
	    --no-location --sort-output -o $@ $^

run: all
	@sh share/demo.sh $(B) run

check: deps-test
	$(MAKE) all
	$(MAKE) SANITIZE=1 all
	$(MAKE) $(TEST_BIN)
	$(MAKE) SANITIZE=1 $(TEST_BIN:build/%=build/san/%)
	@bash tests/run.sh build build/san

# The weak-link benchmarks (never part of "make check"): prints a table
# and writes tests/bench/RESULTS.md; about ten minutes.
bench:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_RUN) $(DEB_TEST) $(DEB_BENCH)
	$(MAKE) all
	$(MAKE) $(BENCH_BIN)
	@bash tests/bench/run.sh build

# Run each fuzz harness for FUZZ_SECONDS (never part of "make check");
# new inputs collect in build/fuzz/corpus/, crashes in build/fuzz/crash/.
fuzz:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_FUZZ)
	$(MAKE) FUZZ=1 $(FUZZ_NAMES:%=build/fuzz/fuzz-%)
	@sh tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

# The man pages name the files of PREFIX=/usr/local; installed, those of
# the PREFIX (and UNITDIR) in use.
MAN_PATHS = -e 's|/usr/local/share/locale|$(LOCALEDIR)|' \
	   -e 's|/usr/local/share/parta|$(SHAREDIR)|' \
	   -e 's|/usr/local/lib/systemd/system|$(UNITDIR)|'

install: $(B)/partad $(B)/parta-sysop $(B)/parta-news $(B)/parta $(MO)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(B)/partad $(B)/parta-sysop $(B)/parta-news \
	    $(DESTDIR)$(SBINDIR)
	install -m 755 $(B)/parta $(DESTDIR)$(BINDIR)
	for m in man8/partad.8 man8/parta-sysop.8 man8/parta-news.8 \
	    man5/partad.conf.5 man5/parta-sync.5 man5/parta-digest.5 \
	    man1/parta.1; do \
	    sed $(MAN_PATHS) man/$${m#*/} >$(DESTDIR)$(MANDIR)/$$m && \
	    chmod 644 $(DESTDIR)$(MANDIR)/$$m || exit 1; \
	done
	sed 's|^#locale_dir .*|#locale_dir $(LOCALEDIR)|' share/partad.conf \
	    >$(DESTDIR)$(SHAREDIR)/partad.conf.example
	chmod 644 $(DESTDIR)$(SHAREDIR)/partad.conf.example
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|' share/partad.service.in \
	    >$(DESTDIR)$(UNITDIR)/partad.service
	sed 's|@SBINDIR@|$(SBINDIR)|' share/parta-news.service.in \
	    >$(DESTDIR)$(UNITDIR)/parta-news.service
	install -m 644 share/parta-news.timer $(DESTDIR)$(UNITDIR)
	for l in $(LANGS); do \
	    install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; \
	    install -m 644 build/locale/$$l/LC_MESSAGES/parta.mo \
	        $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/parta.mo; \
	done

# The Debian package (debian/), built from this tree with its own objects
# (build/pkg) into build/deb/, then checked by lintian; debian/ is left
# clean.  "make check-deb" installs it on this machine, checks it, and
# purges it again (as root; never part of "make check").
deb:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_PKG)
	rm -rf build/deb
	mkdir -p build/deb
	PARTA_DEBDIR=build/deb dpkg-buildpackage -us -uc -b \
	    --changes-option=-ubuild/deb --buildinfo-option=-ubuild/deb \
	    --changes-file=build/deb/parta.changes \
	    --buildinfo-file=build/deb/parta.buildinfo
	debian/rules clean
	lintian --fail-on error,warning --display-info build/deb/parta.changes
check-deb: deb
	@sh tests/deps.sh $(DEB_RUN) $(DEB_TEST)
	@bash tests/pkg/t-deb.sh build/deb

clean:
	rm -rf build

-include $(COMMON_OBJ:.o=.d) $(UI_OBJ:.o=.d) $(PARTAD_OBJ:.o=.d) $(SYSOP_OBJ:.o=.d)
-include $(NEWS_OBJ:.o=.d)
-include $(CLIENT_OBJ:.o=.d)
