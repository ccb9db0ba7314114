/*
 * ui-mail.c: private mail (inbox, sent, compose with login completion,
 * reply with quoting, mark unread, delete).  The news are in ui-news.c,
 * what greets a user at login in ui-arrival.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "i18n.h"
#include "mail.h"
#include "perr.h"
#include "post.h"
#include "request.h"
#include "store.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

/* "Name (login)" for a letter's header: the name to know her by, the
 * login to type; "sysop" for the console.  Caller frees. */
static char *
ui_mail_who(const char *login, const char *name)
{
	if (*login == '\0')
		return xstrdup(_("sysop"));
	if (*name == '\0')
		return xstrdup(login);
	return xasprintf("%s (%s)", name, login);
}

/* The account login as a list shows it (ui_mail_who()): caller frees. */
static char *
ui_mail_account(struct ui *ui, const char *login)
{
	struct user	*u = NULL;
	char		*s;

	(void)user_get(ui->st, login, &u);	/* gone: the login alone */
	s = ui_mail_who(login, u != NULL ? u->display_name : "");
	user_free(u);
	return s;
}

/* The accounts typed may mean, for the list under the compose form:
 * their logins and "Name (login)" (struct ui_completion). */
static size_t
ui_mail_candidates(struct ui *ui, const char *typed, char **value,
    char **shown, size_t max)
{
	char	**v = user_recipients(ui->st, typed);
	size_t	  n;

	for (n = 0; v != NULL && v[n] != NULL && n < max; n++) {
		value[n] = xstrdup(v[n]);
		shown[n] = ui_mail_account(ui, v[n]);
	}
	user_list_free(v);
	return n;
}

/*
 * The recipient typed, completed: an exact login, or the one account
 * whose login or a word of whose name it begins ("гульн", "хаб").  0
 * and *out the login (caller frees), PERR_NO_USER, or PERR_AMBIGUOUS
 * with *out the candidates, "Name (login), ...", in Russian order.
 */
static int
complete_login(struct ui *ui, const char *typed, char **out)
{
	char		**v = user_recipients(ui->st, typed), *s, *t, *who;
	size_t		 n, i;
	int		 rc;

	*out = NULL;
	for (n = 0; v != NULL && v[n] != NULL; n++)
		if (strcasecmp(v[n], typed) == 0) {
			*out = xstrdup(v[n]);
			user_list_free(v);
			return 0;
		}
	if (n == 1) {
		*out = xstrdup(v[0]);
		rc = 0;
	} else if (n == 0)
		rc = PERR_NO_USER;
	else {
		s = xstrdup("");
		for (i = 0; i < n && i < 8; i++) {
			who = ui_mail_account(ui, v[i]);
			t = xasprintf("%s%s%s", s, i > 0 ? ", " : "", who);
			free(who);
			free(s);
			s = t;
		}
		if (n > 8) {
			t = xasprintf("%s, ...", s);
			free(s);
			s = t;
		}
		*out = s;
		rc = PERR_AMBIGUOUS;
	}
	user_list_free(v);
	return rc;
}

/* ---- sending ------------------------------------------------------- */

static void
ui_mail_doc_info(struct ui_doc *doc, const char *login)
{
	snprintf(doc->info, sizeof(doc->info), "%s %s", _("To:"), login);
}

/* The same letter to each further recipient (user UUIDs, NULL-ended;
 * NULL: none), each its own request: how many of them got it. */
static size_t
ui_mail_send_more(struct ui *ui, const struct ui_doc *doc, char **more)
{
	struct request	 r;
	size_t		 i, got = 0;

	for (i = 0; more != NULL && more[i] != NULL; i++) {
		request_init(&r, REQ_MAIL_SEND, ui->user);
		r.to = more[i];
		r.subject = doc->subject;
		r.body = doc->body;
		if (ui_apply(ui, &r, NULL) == 0)
			got++;
	}
	return got;
}

/* Edit and send a letter to the user doc->target names, and then to
 * those of more (as ui_mail_send_more()), until sent or left. */
static void
ui_mail_send_loop(struct ui *ui, struct ui_doc *doc, int64_t reply_to,
    char **more)
{
	struct request	 r;
	char		 msg[512], re[37] = "";
	size_t		 n, got;
	int		 rc, sent = ui_edit(ui, doc);

	if (reply_to != 0)	/* a letter gone meanwhile: no longer a reply */
		(void)request_uuid_of(ui->st, REQF_LETTER, reply_to, re);
	while (sent) {
		request_init(&r, REQ_MAIL_SEND, ui->user);
		strlcpy_p(r.uuid, doc->uuid, sizeof(r.uuid));
		r.to = doc->target;
		r.letter = *re != '\0' ? re : NULL;
		r.subject = doc->subject;
		r.body = doc->body;
		if ((rc = post_check_subject(doc->subject)) != 0)
			snprintf(msg, sizeof(msg), "%s: %s", _("Subject"),
			    _(perr_str(rc)));
		else if ((rc = post_check_body(doc->body)) != 0)
			snprintf(msg, sizeof(msg), "%s: %s", _("Text"),
			    _(perr_str(rc)));
		else if ((rc = ui_apply(ui, &r, NULL)) == 0)
			break;
		else
			snprintf(msg, sizeof(msg), "%s", _(perr_str(rc)));
		ui_notice(ui, msg);
		sent = ui_edit(ui, doc);
	}
	if (!sent) {
		ui_doc_free(doc);
		return;
	}
	for (n = 0; more != NULL && more[n] != NULL; n++)
		;
	got = ui_mail_send_more(ui, doc, more);
	ui_doc_done(ui, doc);
	if (got == n)
		ui_notice(ui, _("The letter is sent."));
	else {
		snprintf(msg, sizeof(msg), _("The letter is sent to %zu of %zu "
		    "recipients."), got + 1, n + 1);
		ui_notice(ui, msg);
	}
}

void
ui_mail_resume(struct ui *ui, struct ui_doc *doc)
{
	struct user	*to = NULL;
	int64_t		 id = 0;

	doc->title = N_("New letter");
	doc->has_subject = 1;
	/* An account gone meanwhile: the send says there is none. */
	if (request_id_of(ui->st, REQF_TO, doc->target, &id) == 0)
		(void)user_get_by_id(ui->st, id, &to);
	ui_mail_doc_info(doc, to != NULL ? to->login : "?");
	user_free(to);
	ui_mail_send_loop(ui, doc, 0, NULL);
}

#define COMPOSE_TO_MAX	16	/* recipients of one letter */

struct compose {
	struct ui_field	 f[2];
	char		*to[COMPOSE_TO_MAX + 1];	/* completed logins */
};

static void
ui_mail_compose_clear(struct compose *c)
{
	size_t	 i;

	for (i = 0; c->to[i] != NULL; i++) {
		free(c->to[i]);
		c->to[i] = NULL;
	}
}

/*
 * Complete each recipient of the field, comma-separated: -1 when all
 * are known and were typed as logins, else the field's index with the
 * trouble on the status line.  A recipient completed from a beginning
 * ("хаб") is shown by name and login and asks for Enter once more (1,
 * the subject's index): a name is chosen by its owner, so a letter
 * never goes to an account she did not see named (a member who calls
 * herself "Директор").
 */
static int
ui_mail_compose_to(struct ui *ui, struct compose *c)
{
	char	*list = xstrdup(c->f[0].value), *p = list, *one, *to, *t;
	char	*shown = xstrdup(""), *named = xstrdup(""), *who;
	size_t	 n = 0;
	int	 rc = 0, completed = 0;

	ui_mail_compose_clear(c);
	while (rc == 0 && (one = strsep(&p, ",")) != NULL) {
		text_trim(one);
		if (*one == '\0')
			continue;
		if (n == COMPOSE_TO_MAX) {
			rc = PERR_TOOLONG;
			break;
		}
		if ((rc = complete_login(ui, one, &to)) == PERR_AMBIGUOUS) {
			ui_status(ui, "%s: %s", _(perr_str(rc)), to);
			free(to);
			break;
		}
		if (rc != 0)
			break;
		c->to[n++] = to;
		if (strcasecmp(one, to) != 0)
			completed = 1;
		t = xasprintf("%s%s%s", shown, *shown != '\0' ? ", " : "", to);
		free(shown);
		shown = t;
		who = ui_mail_account(ui, to);
		t = xasprintf("%s%s%s", named, *named != '\0' ? ", " : "", who);
		free(who);
		free(named);
		named = t;
	}
	if (rc == 0 && n == 0)
		rc = PERR_NO_USER;
	if (rc != 0 && rc != PERR_AMBIGUOUS)
		ui_status(ui, "%s: %s", _(c->f[0].label), _(perr_str(rc)));
	if (rc == 0) {
		free(c->f[0].value);	/* the form shows the completed logins */
		c->f[0].value = shown;
		shown = NULL;
		if (completed)
			ui_status(ui, _("The letter goes to %s.  Enter: on."),
			    named);
	}
	free(shown);
	free(named);
	free(list);
	if (rc != 0)
		return 0;
	return completed ? 1 : -1;	/* on to the subject: Enter sends */
}

static int
ui_mail_compose_check(struct ui *ui, void *arg)
{
	struct compose	*c = arg;
	int		 rc;

	text_trim(c->f[0].value);
	if ((rc = ui_mail_compose_to(ui, c)) >= 0) {
		refresh();
		return rc;
	}
	if ((rc = post_check_subject(c->f[1].value)) != 0) {
		ui_status(ui, "%s: %s", _(c->f[1].label), _(perr_str(rc)));
		refresh();
		return 1;
	}
	return -1;
}

/* A letter to to (logins, comma-separated; "" to ask), one or several
 * recipients, each completed from a login's or a name's beginning, the
 * accounts that fit listed under the form as she types. */
void
ui_mail_compose(struct ui *ui, const char *to, const char *subject,
    const char *body, int64_t reply_to)
{
	static const struct ui_completion to_list = {
		.field = 0, .list = ui_mail_candidates,
	};
	struct compose	 c;
	struct ui_doc	 doc;
	struct user	*u = NULL;
	char		*more[COMPOSE_TO_MAX + 1] = { NULL };
	size_t		 i, n = 0;
	int		 rc = 0;

	memset(&c, 0, sizeof(c));
	c.f[0] = (struct ui_field){ N_("To (login)"), xstrdup(to), 200, 0 };
	c.f[1] = (struct ui_field){ N_("Subject"), xstrdup(subject),
	    POST_SUBJECT_MAX, 0 };
	if (!ui_form_complete(ui, _("New letter"), _("Type the first "
	    "letters of a login or of a name: the teachers who fit are "
	    "listed below, Tab takes the first (the arrows mark another).  "
	    "Enter completes it too when only one fits.  Several "
	    "recipients: separate them by commas."),
	    c.f, 2, ui_mail_compose_check, &c, &to_list))
		goto out;
	for (i = 0; c.to[i] != NULL && rc == 0; i++) {
		if ((rc = user_get(ui->st, c.to[i], &u)) != 0)
			break;
		if (i > 0)
			more[n++] = xstrdup(u->uuid);
		else {
			memset(&doc, 0, sizeof(doc));
			strlcpy_p(doc.target, u->uuid, sizeof(doc.target));
		}
		user_free(u);
		u = NULL;
	}
	if (rc != 0) {
		ui_notice(ui, _(perr_str(rc == PERR_NOTFOUND ? PERR_NO_USER :
		    rc)));
		goto out;
	}
	doc.title = N_("New letter");
	doc.has_subject = 1;
	doc.subject = c.f[1].value;
	c.f[1].value = NULL;
	doc.body = xstrdup(body);
	/* A draft keeps the first recipient only: one letter, one place. */
	doc.kind = "mail";
	ui_mail_doc_info(&doc, c.f[0].value);
	ui_mail_send_loop(ui, &doc, reply_to, more);
out:
	for (i = 0; i < n; i++)
		free(more[i]);
	ui_mail_compose_clear(&c);
	free(c.f[0].value);
	free(c.f[1].value);
}

static int
ui_mail_menu_compose(struct ui *ui)
{
	ui_mail_compose(ui, "", "", "", 0);
	return 0;
}

/* ---- the live notice ---------------------------------------------- */

void
ui_mail_watch(struct ui *ui)
{
	struct letter	*m = NULL;
	int64_t		 now = now_mono_ms(), after = ui->mail_seen_id;
	int		 y, x, rc;

	if (ui->user == NULL || user_state(ui->user) != USER_ACTIVE ||
	    now - ui->mail_checked_ms < UI_MAIL_WATCH_MS)
		return;
	ui->mail_checked_ms = now;
	if ((rc = mail_newest(ui->st, ui->user->id, after < 0 ? 0 : after,
	    &m)) != 0) {
		if (rc == PERR_NOTFOUND && after < 0)
			ui->mail_seen_id = 0;	/* an empty inbox */
		return;		/* none came (or the read failed: later) */
	}
	ui->mail_seen_id = m->id;
	/* The first look only learns where the inbox is: what was there
	 * at login, the arrival screen told. */
	if (after >= 0) {
		getyx(stdscr, y, x);
		ui_status(ui, _("New letter from %s: %s (Mail, key m)."),
		    *m->from_name != '\0' ? m->from_name : *m->from != '\0' ?
		    m->from : _("sysop"), m->subject);
		move(y, x);
		refresh();
	}
	mail_list_free(m, 1);
}

/* ---- folders ------------------------------------------------------- */

struct mlist {
	struct letter	*v;
	size_t		 n;
	int		 sent;
};

/* "everyone (N)" for a letter filed in N inboxes.  Caller frees. */
static char *
ui_mail_everyone(const struct letter *m)
{
	return xasprintf(_("everyone (%lld)"), (long long)m->recipients);
}

static void
letter_draw(size_t i, int y, void *arg)
{
	struct mlist	*l = arg;
	struct letter	*m = &l->v[i];
	char		 date[32];
	const char	*who = l->sent ? m->to : m->from;
	const char	*name = l->sent ? m->to_name : m->from_name;
	char		*all = NULL;

	/* A name, as teachers know each other; the login only for a
	 * nameless account, "sysop" for the console; a broadcast is to
	 * everyone, not to its first recipient. */
	if (*name != '\0')
		who = name;
	if (l->sent && m->recipients > 1)
		who = all = ui_mail_everyone(m);
	ui_text(y, 3, 1, !l->sent && m->read_at == 0 ? "*" : " ");
	ui_text(y, 5, 14, *who != '\0' ? who : _("sysop"));
	free(all);
	ui_text(y, 20, COLS - 20 - 18, m->subject);
	ui_text(y, COLS - 17, 16, text_date(m->created_at, TEXT_DATE_MINUTE, date, sizeof(date)));
}

/* Apply r to letter id: 0, or the PERR code after saying so. */
static int
letter_request(struct ui *ui, struct request *r, int64_t id)
{
	char	 uuid[37];
	int	 rc;

	if ((rc = request_uuid_of(ui->st, REQF_LETTER, id, uuid)) != 0) {
		ui_say_error(ui, NULL, rc);
		return rc;
	}
	r->letter = uuid;
	return ui_request(ui, r, NULL);
}

/* Mark letter id of the inbox read (or unread), or delete it from the
 * inbox or the sent folder: 0, or the PERR code after saying so. */
static int
letter_mark(struct ui *ui, int64_t id, int read)
{
	struct request	 r;

	request_init(&r, REQ_MAIL_READ, ui->user);
	r.number = read;
	return letter_request(ui, &r, id);
}

static int
letter_delete(struct ui *ui, int sent, int64_t id)
{
	struct request	 r;

	request_init(&r, REQ_MAIL_DELETE, ui->user);
	r.name = sent ? "sent" : "inbox";
	return letter_request(ui, &r, id);
}

static int
letter_may_answer(struct ui *ui, void *arg)
{
	(void)ui;
	return !((struct mlist *)arg)->sent;
}

static const struct ui_keydef letter_keys[] = {
	{ .key = UI_K_REPLY, .label = N_("reply"),
	  .help = N_("answer the letter"), .may = letter_may_answer },
	{ .key = UI_K_UNREAD, .label = N_("mark unread"),
	  .help = N_("keep the letter as unread"), .may = letter_may_answer },
	{ .key = UI_K_DELETE, .label = N_("delete"),
	  .help = N_("delete the letter") },
	UI_KEY_PAGE(N_("the page of the sender, or of the recipient of a letter"
	    " sent")),
	UI_KEY_BACK,
};

static const struct ui_keydef folder_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("read"),
	  .help = N_("read the marked letter") },
	{ .key = UI_K_WRITE, .label = N_("write"),
	  .help = N_("write a new letter") },
	{ .key = UI_K_DELETE, .label = N_("delete"),
	  .help = N_("delete the marked letter") },
	UI_KEY_BACK,
};

/* Read letter m; 1 if the folder must be reloaded.  *said is set to a
 * sentence for the folder's status line when a key changed the letter. */
static int
letter_read(struct ui *ui, struct mlist *l, struct letter *m,
    const char **said)
{
	char	*head, date[32], *q, *subj, *who;
	wint_t	 key;
	int	 rc;

	if (!l->sent && m->read_at == 0)
		(void)letter_mark(ui, m->id, 1);	/* it said what failed */
	if (l->sent && m->recipients > 1)
		who = ui_mail_everyone(m);
	else
		who = ui_mail_who(l->sent ? m->to : m->from,
		    l->sent ? m->to_name : m->from_name);
	head = xasprintf("%s\n%s %s  %s", m->subject,
	    l->sent ? _("To:") : _("From:"), who,
	    text_date(m->created_at, TEXT_DATE_MINUTE, date, sizeof(date)));
	free(who);
	rc = ui_viewer(ui, _("Letter"), head, m->body, UI_KEYS(letter_keys, l),
	    &key);
	free(head);
	if (rc == UI_LIST_BACK)
		return 1;
	switch (key) {
	case UI_K_REPLY:
		if (*m->from == '\0') {
			ui_notice(ui, _("This letter came from the sysop's "
			    "console; it cannot be answered."));
			return 1;
		}
		q = post_quote(*m->from_name != '\0' ? m->from_name : m->from,
		    m->created_at, m->body, COLS - 1);
		subj = strncmp(m->subject, "Re: ", 4) == 0 ? xstrdup(m->subject) :
		    xasprintf("Re: %s", m->subject);
		head = xasprintf("%s\n", q);
		ui_mail_compose(ui, m->from, subj, head, m->id);
		free(head);
		free(subj);
		free(q);
		break;
	case UI_K_UNREAD:
		if (letter_mark(ui, m->id, 0) == 0)	/* else it said why */
			*said = N_("The letter is marked unread.");
		break;
	case UI_K_DELETE:
		if (ui_confirm(ui, _("Delete this letter?")) &&
		    letter_delete(ui, l->sent, m->id) == 0)
			*said = N_("The letter is deleted.");
		break;
	case UI_K_PAGE:
		ui_page_login(ui, l->sent ? m->to : m->from);
		break;
	}
	return 1;
}

static void
ui_mail_folder(struct ui *ui, int sent)
{
	struct mlist	 l = { NULL, 0, sent };
	const char	*said = NULL;
	size_t		 sel = 0, i;
	int64_t		 marked = 0;
	wint_t		 key;
	int		 rc;
	struct ui_keys	*ks;

	for (;;) {
		mail_list_free(l.v, l.n);
		l.v = NULL;
		l.n = 0;
		if (mail_list(ui->st, ui->user->id, sent ? "sent" : "inbox",
		    &l.v, &l.n) != 0) {
			ui_notice(ui, _(perr_str(PERR_DB)));
			break;
		}
		/* A letter that came meanwhile (a client's sync) keeps
		 * the marker on the letter it was on. */
		for (i = 0; marked != 0 && i < l.n; i++)
			if (l.v[i].id == marked)
				sel = i;
		ks = UI_KEYS(folder_keys, NULL);
		ks->msg = said != NULL ? _(said) : NULL;
		said = NULL;
		ui->reload = 1;
		rc = ui_list(ui, sent ? _("Sent letters") : _("Inbox"), ks,
		    l.n, letter_draw, &l, &sel, &key);
		ui->reload = 0;
		marked = 0;
		if (rc == UI_LIST_BACK)
			break;
		if (rc == UI_LIST_RELOAD) {
			marked = sel < l.n ? l.v[sel].id : 0;
			continue;
		}
		if (rc == UI_LIST_KEY && key == UI_K_WRITE)
			ui_mail_compose(ui, "", "", "", 0);
		else if (rc == UI_LIST_KEY) {
			if (l.n > 0 && ui_confirm(ui, _("Delete this letter?")) &&
			    letter_delete(ui, sent, l.v[sel].id) == 0)
				said = N_("The letter is deleted.");
		} else
			(void)letter_read(ui, &l, &l.v[sel], &said);
	}
	mail_list_free(l.v, l.n);
}

static int
ui_mail_menu_inbox(struct ui *ui)
{
	ui_mail_folder(ui, 0);
	return 0;
}

static int
ui_mail_menu_sent(struct ui *ui)
{
	ui_mail_folder(ui, 1);
	return 0;
}

static const struct ui_item mail_menu[] = {
	{ .key = L'i', .label = N_("Inbox"), .fn = ui_mail_menu_inbox },
	{ .key = L's', .label = N_("Sent letters"), .fn = ui_mail_menu_sent },
	{ .key = UI_K_WRITE, .label = N_("Write a letter"),
	  .fn = ui_mail_menu_compose },
};

int
ui_mail(struct ui *ui)
{
	ui_doing(ui, "mail");
	ui_menu(ui, N_("Mail"), mail_menu, nitems(mail_menu), 1);
	ui_doing(ui, "menu");
	return 0;
}
