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

/*
 * The login typed as a recipient, completed: an exact login, or the one
 * login it begins.  0 and *out (caller frees), PERR_NO_USER, or
 * PERR_AMBIGUOUS with *out the candidates, comma-separated.
 */
static int
complete_login(struct ui *ui, const char *typed, char **out)
{
	char	**v = user_logins(ui->st, typed), *s;
	size_t	 n, i, len = 0;
	int	 rc;

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
		for (i = 0; i < n && i < 8; i++)
			len += strlen(v[i]) + 2;
		s = xcalloc(1, len + 8);
		for (i = 0; i < n && i < 8; i++) {
			strcat(s, v[i]);
			if (i + 1 < n && i + 1 < 8)
				strcat(s, ", ");
		}
		if (n > 8)
			strcat(s, ", ...");
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

/* Edit and send a letter to the user doc->target names until sent or
 * left. */
static void
ui_mail_send_loop(struct ui *ui, struct ui_doc *doc, int64_t reply_to)
{
	struct request	 r;
	char		 msg[512], re[37] = "";
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
	if (sent) {
		ui_doc_done(ui, doc);
		ui_notice(ui, _("The letter is sent."));
	} else
		ui_doc_free(doc);
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
	ui_mail_send_loop(ui, doc, 0);
}

struct compose {
	struct ui_field	 f[2];
	char		*to;		/* the completed login */
};

static int
ui_mail_compose_check(struct ui *ui, void *arg)
{
	struct compose	*c = arg;
	char		*to;
	int		 rc;

	text_trim(c->f[0].value);
	free(c->to);
	c->to = NULL;
	if ((rc = complete_login(ui, c->f[0].value, &to)) == PERR_AMBIGUOUS) {
		ui_status(ui, "%s: %s", _(perr_str(rc)), to);
		free(to);
		refresh();
		return 0;
	}
	if (rc != 0) {
		ui_status(ui, "%s: %s", _(c->f[0].label), _(perr_str(rc)));
		refresh();
		return 0;
	}
	c->to = to;
	free(c->f[0].value);		/* the form shows the completed login */
	c->f[0].value = xstrdup(to);
	if ((rc = post_check_subject(c->f[1].value)) != 0) {
		ui_status(ui, "%s: %s", _(c->f[1].label), _(perr_str(rc)));
		refresh();
		return 1;
	}
	return -1;
}

void
ui_mail_compose(struct ui *ui, const char *to, const char *subject,
    const char *body, int64_t reply_to)
{
	struct compose	 c;
	struct ui_doc	 doc;
	struct user	*u = NULL;
	int		 rc;

	memset(&c, 0, sizeof(c));
	c.f[0] = (struct ui_field){ N_("To (login)"), xstrdup(to), 32, 0 };
	c.f[1] = (struct ui_field){ N_("Subject"), xstrdup(subject),
	    POST_SUBJECT_MAX, 0 };
	if (!ui_form(ui, _("New letter"), _("Type the first letters of a "
	    "login and Enter: it is completed when only one login fits."),
	    c.f, 2, ui_mail_compose_check, &c)) {
		free(c.f[0].value);
		free(c.f[1].value);
		free(c.to);
		return;
	}
	if ((rc = user_get(ui->st, c.to, &u)) != 0) {
		ui_notice(ui, _(perr_str(rc == PERR_NOTFOUND ? PERR_NO_USER :
		    rc)));
		free(c.f[0].value);
		free(c.f[1].value);
		free(c.to);
		return;
	}
	memset(&doc, 0, sizeof(doc));
	doc.title = N_("New letter");
	doc.has_subject = 1;
	doc.subject = c.f[1].value;
	doc.body = xstrdup(body);
	doc.kind = "mail";
	strlcpy_p(doc.target, u->uuid, sizeof(doc.target));
	user_free(u);
	ui_mail_doc_info(&doc, c.to);
	free(c.f[0].value);
	free(c.to);
	ui_mail_send_loop(ui, &doc, reply_to);
}

static int
ui_mail_menu_compose(struct ui *ui)
{
	ui_mail_compose(ui, "", "", "", 0);
	return 0;
}

/* ---- folders ------------------------------------------------------- */

struct mlist {
	struct letter	*v;
	size_t		 n;
	int		 sent;
};

static void
letter_draw(size_t i, int y, void *arg)
{
	struct mlist	*l = arg;
	struct letter	*m = &l->v[i];
	char		 date[32];
	const char	*who = l->sent ? m->to : m->from;
	const char	*name = l->sent ? m->to_name : m->from_name;

	/* A name, as teachers know each other; the login only for a
	 * nameless account, "sysop" for the console. */
	if (*name != '\0')
		who = name;
	ui_text(y, 3, 1, !l->sent && m->read_at == 0 ? "*" : " ");
	ui_text(y, 5, 14, *who != '\0' ? who : _("sysop"));
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
	{ .key = L'r', .label = N_("reply"), .help = N_("answer the letter"),
	  .may = letter_may_answer },
	{ .key = L'u', .label = N_("mark unread"),
	  .help = N_("keep the letter as unread"), .may = letter_may_answer },
	{ .key = L'd', .label = N_("delete"), .help = N_("delete the letter") },
	UI_KEY_PAGE(N_("the page of the sender, or of the recipient of a letter"
	    " sent")),
	UI_KEY_BACK,
};

static const struct ui_keydef folder_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("read"),
	  .help = N_("read the marked letter") },
	{ .key = L'c', .label = N_("write"), .help = N_("write a new letter") },
	{ .key = L'd', .label = N_("delete"),
	  .help = N_("delete the marked letter") },
	UI_KEY_BACK,
};

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

/* Read letter m; 1 if the folder must be reloaded. */
static int
letter_read(struct ui *ui, struct mlist *l, struct letter *m)
{
	char	*head, date[32], *q, *subj, *who;
	wint_t	 key;
	int	 rc;

	if (!l->sent && m->read_at == 0)
		(void)letter_mark(ui, m->id, 1);	/* it said what failed */
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
	case L'r':
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
	case L'u':
		(void)letter_mark(ui, m->id, 0);
		break;
	case UI_K_PAGE:
		ui_page_login(ui, l->sent ? m->to : m->from);
		break;
	case L'd':
		if (ui_confirm(ui, _("Delete this letter?")))
			(void)letter_delete(ui, l->sent, m->id);
		break;
	}
	return 1;
}

static void
ui_mail_folder(struct ui *ui, int sent)
{
	struct mlist	 l = { NULL, 0, sent };
	size_t		 sel = 0, i;
	int64_t		 marked = 0;
	wint_t		 key;
	int		 rc;

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
		ui->reload = 1;
		rc = ui_list(ui, sent ? _("Sent letters") : _("Inbox"),
		    UI_KEYS(folder_keys, NULL), l.n, letter_draw, &l, &sel,
		    &key);
		ui->reload = 0;
		marked = 0;
		if (rc == UI_LIST_BACK)
			break;
		if (rc == UI_LIST_RELOAD) {
			marked = sel < l.n ? l.v[sel].id : 0;
			continue;
		}
		if (rc == UI_LIST_KEY && key == L'c')
			ui_mail_compose(ui, "", "", "", 0);
		else if (rc == UI_LIST_KEY) {
			if (l.n > 0 && ui_confirm(ui, _("Delete this letter?")))
				(void)letter_delete(ui, sent, l.v[sel].id);
		} else
			(void)letter_read(ui, &l, &l.v[sel]);
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
	{ .key = L'c', .label = N_("Write a letter"),
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
