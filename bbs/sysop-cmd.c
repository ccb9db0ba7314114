/*
 * sysop-cmd.c: the commands of parta-sysop.  Each is one row of
 * sysop_cmds[]: its words, its arguments and options, its handler and its
 * help line.  sysop_exec() finds the row, checks the argument count and
 * the options against it and calls the handler; "help" and completion read
 * the same rows, so a command cannot exist without being documented.
 *
 * The handlers live in a file per subject (sysop-users.c, sysop-boards.c,
 * sysop-news.c, sysop-chat.c, sysop-library.c, sysop-search.c, sysop-report.c,
 * sysop-backup.c) and share sysop-util.c; the table stays here, whole,
 * because its order is the order of "help" and of the man page.
 *
 * Handlers return 0, or -1 after reporting the error with sysop_err().
 * What they print passes text_sanitize() (sysop_say, the grid), because
 * names, titles and reasons were typed by people on the BBS.
 */
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "i18n.h"
#include "library.h"
#include "sysop.h"
#include "text.h"
#include "user.h"
#include "util.h"

static int
sysop_cmd_help(struct sysop *s, struct sysop_args *a)
{
	(void)s;
	return sysop_help(stdout, a->argc, a->argv);
}

static int
sysop_cmd_quit(struct sysop *s, struct sysop_args *a)
{
	(void)a;
	s->done = 1;
	return 0;
}

const struct sysop_cmd sysop_cmds[] = {
	{
		.words = { "user", "list" },
		.synopsis = "[--pending]",
		.min = 0, .max = 0,
		.opts = { { .name = "--pending" } },
		.fn = sysop_users_list,
		.help = N_("list accounts, or only those awaiting approval"),
	},
	{
		.words = { "user", "approve" },
		.synopsis = "NAME",
		.min = 1, .max = 1,
		.args = { ARG_USER },
		.fn = sysop_users_by_row,
		.req = &(const struct sysop_req_cmd){
			.kind = REQ_USER_APPROVE,
			.done = N_("%s is approved and may log in as a"
			    " teacher."),
		},
		.help = N_("approve a pending account (role teacher)"),
	},
	{
		.words = { "user", "reject" },
		.synopsis = "NAME [REASON...]",
		.min = 1, .max = -1,
		.args = { ARG_USER },
		.fn = sysop_users_reject,
		.help = N_("reject a pending account, saying why"),
	},
	{
		.words = { "user", "add" },
		.synopsis = "NAME --role ROLE [--name \"DISPLAY NAME\"] "
		    "[--password-stdin]",
		.min = 1, .max = 1,
		.opts = {
		    { .name = "--role", .has_arg = 1,
		      .required = 1, .kind = ARG_ROLE },
		    { .name = "--name", .has_arg = 1 },
		    { .name = "--password-stdin" },
		},
		.fn = sysop_users_add,
		.help = N_("create an account; the password is asked for, or "
		    "read from a line of standard input"),
	},
	{
		.words = { "user", "role" },
		.synopsis = "NAME ROLE",
		.min = 2, .max = 2,
		.args = { ARG_USER, ARG_ROLE },
		.fn = sysop_users_role,
		.help = N_("set the role: pending, teacher, expert, "
		    "coordinator or sysop"),
	},
	{
		.words = { "user", "ban" },
		.synopsis = "NAME [REASON...]",
		.min = 1, .max = -1,
		.args = { ARG_USER },
		.fn = sysop_users_ban,
		.help = N_("ban an account: it is kept but cannot log in"),
	},
	{
		.words = { "user", "unban" },
		.synopsis = "NAME",
		.min = 1, .max = 1,
		.args = { ARG_USER },
		.fn = sysop_users_by_row,
		.req = &(const struct sysop_req_cmd){
			.kind = REQ_USER_UNBAN,
			.done = N_("%s is no longer banned."),
		},
		.help = N_("lift a ban"),
	},
	{
		.words = { "user", "password" },
		.synopsis = "NAME [--password-stdin]",
		.min = 1, .max = 1,
		.opts = { { .name = "--password-stdin" } },
		.args = { ARG_USER },
		.fn = sysop_users_password,
		.help = N_("set an account's password; it is asked for, or "
		    "read from a line of standard input"),
	},
	{
		.words = { "user", "edit" },
		.synopsis = "NAME FIELD VALUE...",
		.min = 3, .max = -1,
		.args = { ARG_USER },
		.fn = sysop_users_edit,
		.help = N_("change an account's name, school, subjects or "
		    "about"),
	},
	{
		.words = { "user", "key", "remove" },
		.synopsis = "NAME FINGERPRINT",
		.min = 2, .max = 2,
		.args = { ARG_USER },
		.fn = sysop_users_key_remove,
		.help = N_("remove one of an account's SSH keys, named by "
		    "its fingerprint or its beginning"),
	},
	{
		.words = { "user", "delete" },
		.synopsis = "NAME --yes",
		.min = 1, .max = 1,
		.opts = { { .name = "--yes" } },
		.args = { ARG_USER },
		.fn = sysop_users_delete,
		.help = N_("delete an account for good; its posts stay, "
		    "under \"deleted account\""),
	},
	{
		.words = { "user", "reset" },
		.synopsis = "NAME",
		.min = 1, .max = 1,
		.args = { ARG_USER },
		.fn = sysop_users_reset,
		.help = N_("print a one-time code (valid for a day) with "
		    "which the account's owner sets a new password herself"),
	},
	{
		.words = { "user", "key", "add" },
		.synopsis = "NAME FILE",
		.min = 2, .max = 2,
		.args = { ARG_USER, ARG_FILE },
		.fn = sysop_users_key_add,
		.help = N_("add the SSH keys of an authorized_keys FILE (-: "
		    "standard input)"),
	},
	{
		.words = { "user", "show" },
		.synopsis = "NAME",
		.min = 1, .max = 1,
		.args = { ARG_USER },
		.fn = sysop_users_show,
		.help = N_("show an account and its keys"),
	},
	{
		.words = { "board", "add" },
		.synopsis = "NAME TITLE [DESCRIPTION]",
		.min = 2, .max = 3,
		.fn = sysop_boards_add,
		.help = N_("add a board: NAME is a Latin tag, TITLE is shown"),
	},
	{
		.words = { "board", "list" },
		.synopsis = "",
		.min = 0, .max = 0,
		.fn = sysop_boards_list,
		.help = N_("list the boards"),
	},
	{
		.words = { "board", "edit" },
		.synopsis = "NAME FIELD VALUE...",
		.min = 3, .max = -1,
		.args = { ARG_BOARD },
		.fn = sysop_boards_edit,
		.help = N_("change a board: title, description, order, read "
		    "ROLE, post ROLE, premoderated yes|no"),
	},
	{
		.words = { "board", "remove" },
		.synopsis = "NAME",
		.min = 1, .max = 1,
		.args = { ARG_BOARD },
		.fn = sysop_boards_by_row,
		.req = &(const struct sysop_req_cmd){
			.kind = REQ_BOARD_REMOVE,
			.done = N_("Board %s is removed."),
		},
		.help = N_("remove a board that has no threads"),
	},
	{
		.words = { "board", "coordinator" },
		.synopsis = "BOARD USER [--remove]",
		.min = 2, .max = 2,
		.opts = { { .name = "--remove" } },
		.args = { ARG_BOARD, ARG_USER },
		.fn = sysop_boards_coordinator,
		.help = N_("make USER a coordinator of BOARD, or no longer"),
	},
	{
		.words = { "board", "share" },
		.synopsis = "[BOARD NEWSGROUP]",
		.min = 0, .max = 2,
		.args = { ARG_BOARD },
		.fn = sysop_boards_share,
		.help = N_("share BOARD with the other districts through INN "
		    "under NEWSGROUP; alone, list the shared boards"),
	},
	{
		.words = { "board", "unshare" },
		.synopsis = "BOARD",
		.min = 1, .max = 1,
		.args = { ARG_BOARD },
		.fn = sysop_boards_by_row,
		.req = &(const struct sysop_req_cmd){
			.kind = REQ_BOARD_SHARE,
			.name = "",
			.done = N_("Board %s is no longer shared."),
		},
		.help = N_("no longer share BOARD (what came stays)"),
	},
	{
		.words = { "post" },
		.synopsis = "BOARD --as USER --subject TEXT",
		.min = 1, .max = 1,
		.opts = {
		    { .name = "--as", .has_arg = 1,
		      .required = 1, .kind = ARG_USER },
		    { .name = "--subject", .has_arg = 1, .required = 1 },
		},
		.args = { ARG_BOARD },
		.fn = sysop_boards_post,
		.help = N_("start a thread on BOARD as USER; the text is "
		    "read from stdin"),
	},
	{
		.words = { "hide" },
		.synopsis = "POST [REASON...]",
		.min = 1, .max = -1,
		.fn = sysop_boards_hide,
		.help = N_("hide a post (its thread too, if it is the "
		    "first); its author gets a letter saying why"),
	},
	{
		.words = { "unhide" },
		.synopsis = "POST",
		.min = 1, .max = 1,
		.fn = sysop_boards_unhide,
		.help = N_("show a hidden post (and its thread) again"),
	},
	{
		.words = { "broadcast" },
		.synopsis = "--subject TEXT [--role ROLE] [--as USER]",
		.min = 0, .max = 0,
		.opts = {
		    { .name = "--subject", .has_arg = 1, .required = 1 },
		    { .name = "--role", .has_arg = 1, .kind = ARG_ROLE },
		    { .name = "--as", .has_arg = 1, .kind = ARG_USER },
		},
		.fn = sysop_news_broadcast,
		.help = N_("send a letter (text on stdin) to everyone, or to "
		    "a role"),
	},
	{
		.words = { "chat", "list" },
		.synopsis = "",
		.min = 0, .max = 0,
		.fn = sysop_chat_list,
		.help = N_("list the chat rooms, the boards' and the sysop's,"
		    " with the lines they keep"),
	},
	{
		.words = { "chat", "open" },
		.synopsis = "NAME",
		.min = 1, .max = 1,
		.fn = sysop_chat_open,
		.help = N_("open a chat room for every member"),
	},
	{
		.words = { "chat", "close" },
		.synopsis = "NAME",
		.min = 1, .max = 1,
		.fn = sysop_chat_close,
		.help = N_("close a chat room the sysop opened"),
	},
	{
		.words = { "news", "list" },
		.synopsis = "",
		.min = 0, .max = 0,
		.fn = sysop_news_list,
		.help = N_("list the news, newest first, with their numbers"),
	},
	{
		.words = { "news", "remove" },
		.synopsis = "ID",
		.min = 1, .max = 1,
		.fn = sysop_news_by_id,
		.req = &(const struct sysop_req_cmd){
			.kind = REQ_NEWS_REMOVE,
			.field = REQF_NEWS,
			.notfound = N_("no news %s"),
			.done = N_("News %lld is removed."),
		},
		.help = N_("remove an item of news"),
	},
	{
		.words = { "news" },
		.synopsis = "--subject TEXT [--as USER]",
		.min = 0, .max = 0,
		.opts = {
		    { .name = "--subject", .has_arg = 1, .required = 1 },
		    { .name = "--as", .has_arg = 1, .kind = ARG_USER },
		},
		.fn = sysop_news_publish,
		.help = N_("publish news (text on stdin), shown once at each "
		    "user's login"),
	},
	{
		.words = { "poll", "add" },
		.synopsis = "BOARD --question TEXT --closes YYYY-MM-DD "
		    "[--multiple]",
		.min = 1, .max = 1,
		.opts = {
		    { .name = "--question", .has_arg = 1, .required = 1 },
		    { .name = "--closes", .has_arg = 1, .required = 1 },
		    { .name = "--multiple" },
		},
		.args = { ARG_BOARD },
		.fn = sysop_news_poll_add,
		.help = N_("open a poll on BOARD; one answer per line on "
		    "stdin"),
	},
	{
		.words = { "poll", "list" },
		.synopsis = "BOARD",
		.min = 1, .max = 1,
		.args = { ARG_BOARD },
		.fn = sysop_news_poll_list,
		.help = N_("list a board's polls with their numbers"),
	},
	{
		.words = { "poll", "close" },
		.synopsis = "ID",
		.min = 1, .max = 1,
		.fn = sysop_news_by_id,
		.req = &(const struct sysop_req_cmd){
			.kind = REQ_POLL_CLOSE,
			.field = REQF_POLL,
			.notfound = N_("no poll %s"),
			.done = N_("Poll %lld is closed; its votes are kept."),
		},
		.help = N_("close a poll now; its votes are kept"),
	},
	{
		.words = { "poll", "remove" },
		.synopsis = "ID",
		.min = 1, .max = 1,
		.fn = sysop_news_by_id,
		.req = &(const struct sysop_req_cmd){
			.kind = REQ_POLL_REMOVE,
			.field = REQF_POLL,
			.notfound = N_("no poll %s"),
			.done = N_("Poll %lld is removed, with its votes."),
		},
		.help = N_("remove a poll with its votes"),
	},
	{
		.words = { "event", "add" },
		.synopsis = "BOARD --title TEXT --at \"YYYY-MM-DD HH:MM\" "
		    "[--kind KIND] [--minutes N] [--place TEXT] [--cap N] "
		    "[--description TEXT]",
		.min = 1, .max = 1,
		.opts = {
		    { .name = "--title", .has_arg = 1, .required = 1 },
		    { .name = "--at", .has_arg = 1, .required = 1 },
		    { .name = "--kind", .has_arg = 1 },
		    { .name = "--minutes", .has_arg = 1 },
		    { .name = "--place", .has_arg = 1 },
		    { .name = "--cap", .has_arg = 1 },
		    { .name = "--description", .has_arg = 1 },
		},
		.args = { ARG_BOARD },
		.fn = sysop_events_add,
		.help = N_("plan an event on BOARD (a seminar, masterclass, "
		    "webinar or olympiad) at a local time; without "
		    "--description it is read from stdin"),
	},
	{
		.words = { "event", "edit" },
		.synopsis = "ID [--title TEXT] [--at \"YYYY-MM-DD HH:MM\"] "
		    "[--kind KIND] [--minutes N] [--place TEXT] [--cap N] "
		    "[--description TEXT]",
		.min = 1, .max = 1,
		.opts = {
		    { .name = "--title", .has_arg = 1 },
		    { .name = "--at", .has_arg = 1 },
		    { .name = "--kind", .has_arg = 1 },
		    { .name = "--minutes", .has_arg = 1 },
		    { .name = "--place", .has_arg = 1 },
		    { .name = "--cap", .has_arg = 1 },
		    { .name = "--description", .has_arg = 1 },
		},
		.fn = sysop_events_edit,
		.help = N_("change an event; those signed up are told by "
		    "letter"),
	},
	{
		.words = { "event", "cancel" },
		.synopsis = "ID [REASON...]",
		.min = 1, .max = -1,
		.fn = sysop_events_cancel,
		.help = N_("cancel an event; those signed up are told by "
		    "letter"),
	},
	{
		.words = { "event", "list" },
		.synopsis = "[BOARD] [--all]",
		.min = 0, .max = 1,
		.opts = { { .name = "--all" } },
		.args = { ARG_BOARD },
		.fn = sysop_events_list,
		.help = N_("list the coming events, or with --all every one"),
	},
	{
		.words = { "event", "show" },
		.synopsis = "ID",
		.min = 1, .max = 1,
		.fn = sysop_events_show,
		.help = N_("show an event and who signed up"),
	},
	{
		.words = { "who" },
		.synopsis = "",
		.min = 0, .max = 0,
		.fn = sysop_users_who,
		.help = N_("show who is connected"),
	},
	{
		.words = { "kick" },
		.synopsis = "LOGIN",
		.min = 1, .max = 1,
		.args = { ARG_USER },
		.fn = sysop_users_kick,
		.help = N_("end every session of LOGIN now (interactive and "
		    "SFTP), saying how many"),
	},
	{
		.words = { "report" },
		.synopsis = "[--days N] | [--from DATE] [--to DATE] [--by "
		    "week|month] [--board NAME] [--school TEXT] [--csv]",
		.min = 0, .max = 0,
		.opts = {
		    { .name = "--days", .has_arg = 1 },
		    { .name = "--from", .has_arg = 1 },
		    { .name = "--to", .has_arg = 1 },
		    { .name = "--by", .has_arg = 1 },
		    { .name = "--board", .has_arg = 1, .kind = ARG_BOARD },
		    { .name = "--school", .has_arg = 1 },
		    { .name = "--csv" },
		},
		.fn = sysop_report_run,
		.help = N_("activity over the last N days (7): logins, posts "
		    "by board, the most active authors, mail, the library; "
		    "or, with the other options, the community's growth "
		    "period by period (active participants, new members, "
		    "posts, letters, the library) by board and by school, "
		    "with charts, or as CSV"),
	},
	{
		.words = { "backup" },
		.synopsis = "FILE | --keep N DIR",
		.min = 1, .max = 1,
		.opts = { { .name = "--keep", .has_arg = 1 } },
		.args = { ARG_FILE },
		.fn = sysop_backup_run,
		.help = N_("copy the store to a new FILE, also while partad "
		    "runs; with --keep, a dated copy of the store and the "
		    "library's files in DIR, keeping the last N"),
	},
	{
		.words = { "digest", "export" },
		.synopsis = "[--since YYYY-MM-DD | --days N] "
		    "[--board NAME[,NAME...]] [--user LOGIN] [--format FORMAT] "
		    "-o FILE",
		.min = 0, .max = 0,
		.opts = {
		    { .name = "--since", .has_arg = 1 },
		    { .name = "--days", .has_arg = 1 },
		    { .name = "--board", .has_arg = 1, .kind = ARG_BOARD },
		    { .name = "--user", .has_arg = 1, .kind = ARG_USER },
		    { .name = "--format", .has_arg = 1 },
		    { .name = "-o", .has_arg = 1, .required = 1,
		      .kind = ARG_FILE },
		},
		.fn = sysop_digest_export,
		.help = N_("write a digest of what is new (the last 7 days, "
		    "or since a day) to FILE: for one user (her boards, her "
		    "mail, news, the library listing) or, without --user, "
		    "for a school's shared computer (no one's mail)"),
	},
	{
		.words = { "digest", "import" },
		.synopsis = "[--user LOGIN] PACKET",
		.min = 1, .max = 1,
		.opts = {
		    { .name = "--user", .has_arg = 1, .kind = ARG_USER },
		},
		.args = { ARG_FILE },
		.fn = sysop_digest_import,
		.help = N_("post the replies and letters of a reply packet "
		    "written while reading a digest, each once, as their "
		    "author; what is refused is reported here and to her; "
		    "a QWK reader's REP packet with --user, as hers"),
	},
	{
		.words = { "unblock" },
		.synopsis = "ADDR",
		.min = 1, .max = 1,
		.fn = sysop_users_unblock,
		.help = N_("lift the block on an address after failed logins"),
	},
	{
		.words = { "search" },
		.synopsis = "QUERY... [--board BOARD]",
		.min = 1, .max = -1,
		.opts = {
		    { .name = "--board", .has_arg = 1, .kind = ARG_BOARD },
		},
		.fn = sysop_search_posts,
		.help = N_("find posts: words, \"phrases\", -word to "
		    "exclude, OR; shows each post's id"),
	},
	{
		.words = { "library", "list" },
		.synopsis = "[--pending] [--section NAME]",
		.min = 0, .max = 0,
		.opts = {
		    { .name = "--pending" },
		    { .name = "--section", .has_arg = 1, .kind = ARG_SECTION },
		},
		.fn = sysop_library_list,
		.help = N_("list library items, newest first, with their "
		    "numbers"),
	},
	{
		.words = { "library", "search" },
		.synopsis = "QUERY... [--section SECTION]",
		.min = 1, .max = -1,
		.opts = {
		    { .name = "--section", .has_arg = 1, .kind = ARG_SECTION },
		},
		.fn = sysop_search_library,
		.help = N_("find library items by title, description, tags "
		    "or file name, as search does posts; shows each item's "
		    "number"),
	},
	{
		.words = { "library", "add" },
		.synopsis = "SECTION FILE --as USER --title TITLE "
		    "[--description TEXT] [--grades GRADES] [--tags TAGS] "
		    "[--force]",
		.min = 2, .max = 2,
		.opts = {
		    { .name = "--as", .has_arg = 1,
		      .required = 1, .kind = ARG_USER },
		    { .name = "--title", .has_arg = 1, .required = 1 },
		    { .name = "--description", .has_arg = 1 },
		    { .name = "--grades", .has_arg = 1 },
		    { .name = "--tags", .has_arg = 1 },
		    { .name = "--force" },
		},
		.args = { ARG_SECTION, ARG_FILE },
		.fn = sysop_library_add,
		.help = N_("put a file of this server into the library as "
		    "USER's, approved"),
	},
	{
		.words = { "library", "approve" },
		.synopsis = "ID",
		.min = 1, .max = 1,
		.fn = sysop_library_approve,
		.help = N_("approve a pending library item"),
	},
	{
		.words = { "library", "remove" },
		.synopsis = "ID",
		.min = 1, .max = 1,
		.fn = sysop_library_remove,
		.help = N_("remove a library item (its file too, if no other "
		    "item has it)"),
	},
	{
		.words = { "library", "recommend" },
		.synopsis = "ID [--by LOGIN] REVIEW...",
		.min = 2, .max = -1,
		.opts = { { .name = "--by", .has_arg = 1, .kind = ARG_USER } },
		.fn = sysop_library_recommend,
		.help = N_("mark an item recommended, with a short review "
		    "(by an expert)"),
	},
	{
		.words = { "library", "verify" },
		.synopsis = "",
		.min = 0, .max = 0,
		.fn = sysop_library_verify,
		.help = N_("recheck the hash of every library file; report "
		    "missing or damaged ones"),
	},
	{
		.words = { "library", "quota" },
		.synopsis = "[LOGIN] [BYTES|none]",
		.min = 0, .max = 2,
		.args = { ARG_USER },
		.fn = sysop_library_quota,
		.help = N_("set the default quota (BYTES), or show or set "
		    "one account's (K, M, G allowed)"),
	},
	{
		.words = { "library", "maxsize" },
		.synopsis = "BYTES",
		.min = 1, .max = 1,
		.fn = sysop_library_maxsize,
		.help = N_("set the largest file the library accepts"),
	},
	{
		.words = { "library", "section", "add" },
		.synopsis = "NAME TITLE [--approval]",
		.min = 2, .max = 2,
		.opts = { { .name = "--approval" } },
		.fn = sysop_library_section_add,
		.help = N_("add a library section; with --approval its new "
		    "items wait for an expert or coordinator"),
	},
	{
		.words = { "library", "section", "list" },
		.synopsis = "",
		.min = 0, .max = 0,
		.fn = sysop_library_section_list,
		.help = N_("list the library sections"),
	},
	{
		.words = { "help" },
		.synopsis = "[COMMAND...]",
		.min = 0, .max = -1,
		.args = { ARG_COMMAND, ARG_COMMAND, ARG_COMMAND },
		.fn = sysop_cmd_help,
		.help = N_("list the commands, or explain one"),
		.flags = CMD_NOSTORE,
	},
	{
		.words = { "quit" },
		.synopsis = "",
		.min = 0, .max = 0,
		.fn = sysop_cmd_quit,
		.help = N_("leave the console"),
		.flags = CMD_NOSTORE,
	},
};
const size_t sysop_ncmds = nitems(sysop_cmds);

static size_t
sysop_cmd_nwords(const struct sysop_cmd *c)
{
	size_t	 n = 0;

	while (n < SYSOP_WORDS_MAX && c->words[n] != NULL)
		n++;
	return n;
}

/* How many of argv's first words c's words begin with. */
static size_t
sysop_cmd_match(const struct sysop_cmd *c, int argc, char **argv)
{
	size_t	 n = 0;

	while (n < SYSOP_WORDS_MAX && c->words[n] != NULL &&
	    (int)n < argc && strcmp(c->words[n], argv[n]) == 0)
		n++;
	return n;
}

/* The command whose words all start argv, or NULL. */
static const struct sysop_cmd *
sysop_cmd_find(int argc, char **argv)
{
	size_t	 i;

	for (i = 0; i < sysop_ncmds; i++)
		if (sysop_cmd_match(&sysop_cmds[i], argc, argv) ==
		    sysop_cmd_nwords(&sysop_cmds[i]))
			return &sysop_cmds[i];
	return NULL;
}

/* "user key add NAME FILE".  Caller frees. */
static char *
sysop_cmd_usage(const struct sysop_cmd *c)
{
	char	*w = sysop_join((int)sysop_cmd_nwords(c), (char **)c->words);
	char	*u;

	u = *c->synopsis != '\0' ? xasprintf("%s %s", w, c->synopsis) :
	    xstrdup(w);
	free(w);
	return u;
}

static int
sysop_cmd_usage_err(const struct sysop_cmd *c, const char *fmt,
    const char *arg)
{
	char	*u = sysop_cmd_usage(c);

	sysop_err(fmt, arg);
	sysop_err(_("usage: %s"), u);
	free(u);
	return -1;
}

/* The option of c named by arg ("--name" or "--name=value"), or NULL. */
static const struct sysop_opt *
sysop_cmd_opt_find(const struct sysop_cmd *c, const char *arg,
    const char **value)
{
	const char	*eq = strchr(arg, '=');
	size_t		 len = eq != NULL ? (size_t)(eq - arg) : strlen(arg), i;

	*value = eq != NULL ? eq + 1 : NULL;
	for (i = 0; i < SYSOP_OPTS_MAX && c->opts[i].name != NULL; i++)
		if (strlen(c->opts[i].name) == len &&
		    strncmp(c->opts[i].name, arg, len) == 0)
			return &c->opts[i];
	return NULL;
}

/* Whether arg is one of c's short options ("-o"), which are only ever
 * written alone. */
static int
sysop_cmd_short(const struct sysop_cmd *c, const char *arg)
{
	size_t	 i;

	for (i = 0; i < SYSOP_OPTS_MAX && c->opts[i].name != NULL; i++)
		if (c->opts[i].name[1] != '-' &&
		    strcmp(c->opts[i].name, arg) == 0)
			return 1;
	return 0;
}

/*
 * Sort argv (after c's words) into positional arguments and c's options,
 * then check them against the row.  Options are only recognised for
 * commands that have some, so a reason may start with "--"; "--" ends
 * them.  a->argv is allocated: free it.  0, or -1 (reported).
 */
static int
sysop_cmd_parse(const struct sysop_cmd *c, int argc, char **argv,
    struct sysop_args *a)
{
	const struct sysop_opt	*o;
	const char		*value;
	int			 i, options = c->opts[0].name != NULL;
	size_t			 j;

	memset(a, 0, sizeof(*a));
	a->req = c->req;
	a->argv = xcalloc((size_t)argc + 1, sizeof(*a->argv));
	for (i = 0; i < argc; i++) {
		if (!options || (strncmp(argv[i], "--", 2) != 0 &&
		    !sysop_cmd_short(c, argv[i]))) {
			a->argv[a->argc++] = argv[i];
			continue;
		}
		if (strcmp(argv[i], "--") == 0) {
			options = 0;
			continue;
		}
		if ((o = sysop_cmd_opt_find(c, argv[i], &value)) == NULL)
			return sysop_cmd_usage_err(c, _("unknown option %s"),
			    argv[i]);
		if (o->has_arg && value == NULL) {
			if (i + 1 == argc)
				return sysop_cmd_usage_err(c,
				    _("option %s needs a value"), o->name);
			value = argv[++i];
		} else if (!o->has_arg && value != NULL)
			return sysop_cmd_usage_err(c,
			    _("option %s takes no value"), o->name);
		a->opt[o - c->opts] = o->has_arg ? value : "";
	}
	for (j = 0; j < SYSOP_OPTS_MAX && c->opts[j].name != NULL; j++)
		if (c->opts[j].required && a->opt[j] == NULL)
			return sysop_cmd_usage_err(c,
			    _("option %s is required"), c->opts[j].name);
	if (a->argc < c->min || (c->max >= 0 && a->argc > c->max))
		return sysop_cmd_usage_err(c, "%s",
		    _("wrong number of arguments"));
	return 0;
}

int
sysop_exec(struct sysop *s, int argc, char **argv)
{
	const struct sysop_cmd	*c;
	struct sysop_args	 a;
	size_t			 i, best = 0, n;
	int			 rc = -1;

	if ((c = sysop_cmd_find(argc, argv)) == NULL) {
		/* Say how far the words went: "user" alone is incomplete. */
		for (i = 0; i < sysop_ncmds; i++)
			if ((n = sysop_cmd_match(&sysop_cmds[i], argc,
			    argv)) > best)
				best = n;
		if ((int)best == argc) {
			sysop_err(_("incomplete command; it goes on as:"));
			sysop_help(stderr, argc, argv);
		} else {
			char	*w = sysop_join((int)best + 1, argv);
			sysop_err(_("unknown command \"%s\"; \"help\" lists"
			    " them"), w);
			free(w);
		}
		return -1;
	}
	n = sysop_cmd_nwords(c);
	if (sysop_cmd_parse(c, argc - (int)n, argv + n, &a) == 0 &&
	    ((c->flags & CMD_NOSTORE) || sysop_store(s) != NULL))
		rc = c->fn(s, &a);
	free(a.argv);
	return rc;
}

int
sysop_help(FILE *fp, int argc, char **argv)
{
	const struct sysop_cmd	*c;
	char			*u[nitems(sysop_cmds)];
	size_t			 i, n = 0;
	int			 w = 0, uw;

	for (i = 0; i < sysop_ncmds; i++) {
		c = &sysop_cmds[i];
		u[i] = NULL;
		if (argc > 0 && sysop_cmd_match(c, argc, argv) < (size_t)argc)
			continue;
		u[i] = sysop_cmd_usage(c);
		n++;
		if ((uw = text_width(u[i])) > w && uw <= 36)
			w = uw;
	}
	if (n == 0) {
		char	*cmd = sysop_join(argc, argv);
		sysop_err(_("no command \"%s\"; \"help\" lists them"), cmd);
		free(cmd);
		return -1;
	}
	/* A usage too wide for the column gets a line of its own. */
	for (i = 0; i < sysop_ncmds; i++) {
		if (u[i] == NULL)
			continue;
		if ((uw = text_width(u[i])) <= w)
			fprintf(fp, "  %s%*s  %s\n", u[i], w - uw, "",
			    _(sysop_cmds[i].help));
		else
			fprintf(fp, "  %s\n  %*s  %s\n", u[i], w, "",
			    _(sysop_cmds[i].help));
		free(u[i]);
	}
	return 0;
}

/* Append to v (n entries, NULL-terminated) each of words that begins
 * with text and is not in v yet. */
static char **
sysop_cmd_cand(char **v, size_t *n, const char *const *words,
    size_t nwords, const char *text)
{
	size_t	 i, j;

	for (i = 0; i < nwords; i++) {
		if (words[i] == NULL ||
		    strncmp(words[i], text, strlen(text)) != 0)
			continue;
		for (j = 0; j < *n && strcmp(v[j], words[i]) != 0; j++)
			;
		if (j < *n)
			continue;
		v = xrealloc(v, (*n + 2) * sizeof(*v));
		v[(*n)++] = xstrdup(words[i]);
		v[*n] = NULL;
	}
	return v;
}

/* The next command words after argv that begin with text. */
static char **
sysop_cmd_cand_words(char **v, size_t *n, int argc, char **argv,
    const char *text)
{
	const struct sysop_cmd	*c;
	size_t			 i;

	for (i = 0; i < sysop_ncmds; i++) {
		c = &sysop_cmds[i];
		if (argc < SYSOP_WORDS_MAX && sysop_cmd_match(c, argc, argv) ==
		    (size_t)argc && c->words[argc] != NULL)
			v = sysop_cmd_cand(v, n, &c->words[argc], 1, text);
	}
	return v;
}

/* Board tags that begin with text. */
static char **
sysop_cmd_cand_boards(struct sysop *s, char **v, size_t *n,
    const char *text)
{
	struct board	*b = NULL;
	size_t		 nb = 0, i;

	if (board_list_for(s->st, NULL, &b, &nb) != 0)
		return v;
	for (i = 0; i < nb; i++)
		v = sysop_cmd_cand(v, n, (const char *const *)&b[i].name, 1,
		    text);
	board_list_free(b, nb);
	return v;
}

/* Library section names that begin with text. */
static char **
sysop_cmd_cand_sections(struct sysop *s, char **v, size_t *n,
    const char *text)
{
	struct lib_section	*sec = NULL;
	size_t			 ns = 0, i;

	if (library_section_list(s->st, &sec, &ns) != 0)
		return v;
	for (i = 0; i < ns; i++)
		v = sysop_cmd_cand(v, n, (const char *const *)&sec[i].name, 1,
		    text);
	library_section_list_free(sec, ns);
	return v;
}

char **
sysop_complete(struct sysop *s, int argc, char **argv, const char *text,
    int *files)
{
	const struct sysop_cmd	*c;
	const struct sysop_opt	*o;
	const char		*value, *roles[ROLE_SYSOP + 1];
	enum sysop_arg		 kind = ARG_NONE;
	char			**v = xcalloc(1, sizeof(*v)), **logins;
	size_t			 n = 0, i, nw;
	int			 pos = 0, options, value_of_opt = 0, k;

	*files = 0;
	if ((c = sysop_cmd_find(argc, argv)) == NULL)
		return sysop_cmd_cand_words(v, &n, argc, argv, text);
	nw = sysop_cmd_nwords(c);
	/* Is text an option's value, an option, or which argument? */
	options = c->opts[0].name != NULL;
	for (k = (int)nw; k < argc; k++) {
		if (options && strncmp(argv[k], "--", 2) == 0 &&
		    (o = sysop_cmd_opt_find(c, argv[k], &value)) != NULL) {
			if (o->has_arg && value == NULL && ++k == argc) {
				kind = o->kind;
				value_of_opt = 1;
			}
			continue;
		}
		pos++;
	}
	if (!value_of_opt && options && *text == '-') {
		for (i = 0; i < SYSOP_OPTS_MAX; i++)
			v = sysop_cmd_cand(v, &n, &c->opts[i].name, 1, text);
		return v;
	}
	if (!value_of_opt && pos < SYSOP_ARGS_MAX)
		kind = c->args[pos];
	switch (kind) {
	case ARG_USER:
		if (sysop_store(s) == NULL)
			break;
		logins = user_logins(s->st, text);
		for (i = 0; logins[i] != NULL; i++)
			;
		v = sysop_cmd_cand(v, &n, (const char *const *)logins, i, "");
		user_list_free(logins);
		break;
	case ARG_ROLE:
		for (i = 0; i <= ROLE_SYSOP; i++)
			roles[i] = role_name((enum role)i);
		v = sysop_cmd_cand(v, &n, roles, nitems(roles), text);
		break;
	case ARG_FILE:
		user_list_free(v);
		*files = 1;
		return NULL;
	case ARG_COMMAND:
		v = sysop_cmd_cand_words(v, &n, argc - (int)nw, argv + nw,
		    text);
		break;
	case ARG_BOARD:
		if (sysop_store(s) != NULL)
			v = sysop_cmd_cand_boards(s, v, &n, text);
		break;
	case ARG_SECTION:
		if (sysop_store(s) != NULL)
			v = sysop_cmd_cand_sections(s, v, &n, text);
		break;
	case ARG_NONE:
		break;
	}
	return v;
}
