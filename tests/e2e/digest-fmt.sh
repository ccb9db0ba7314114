# digest-fmt.sh: the store of the digest rendering tests, sourced by
# t-digest-text.sh, t-digest-html.sh and t-digest-qwk.sh after lib.sh.
#
# digest_fmt_setup SUBJECT BODY: teachers anna and boris, the board math
# ("Математика") with boris's thread SUBJECT, and $OUT, a directory the
# console may write digests into.
digest_fmt_setup() {
	mkdir -p "$D"
	add_user anna teacher "Анна Иванова" "anna-secret-1"
	add_user boris teacher "Борис Петров" "boris-secret-1"
	sysop board add math "Математика" "Уроки и задачи" >/dev/null
	console_post math boris "$1" "$2"
	OUT=$D/out
	mkdir -p "$OUT"
	[ -n "$PARTAD_USER" ] && chown "$PARTAD_USER" "$OUT"
	return 0
}
