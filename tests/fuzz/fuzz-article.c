/*
 * fuzz-article.c: the netnews article parser (common/article.c), on an
 * article as INN hands it to parta-news from another district.
 *
 * Besides memory errors and leaks, the harness checks that every
 * refusal says why, and that an article that parses is written again
 * (with a key of the harness's) to one that parses to the same UUID,
 * author, subject, body and references: what the gateway stores is what
 * it would send on.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
fuzz_same(const struct article *a, const struct article *b)
{
	size_t	 i;

	if (strcmp(a->uuid, b->uuid) != 0 || strcmp(a->ident, b->ident) != 0 ||
	    strcmp(a->login, b->login) != 0 || strcmp(a->name, b->name) != 0 ||
	    strcmp(a->subject, b->subject) != 0 ||
	    strcmp(a->body, b->body) != 0 || a->nrefs != b->nrefs ||
	    a->date != b->date || (a->cancel == NULL) != (b->cancel == NULL))
		return 0;
	for (i = 0; i < a->nrefs; i++)
		if (strcmp(a->refs[i], b->refs[i]) != 0)
			return 0;
	return a->cancel == NULL || strcmp(a->cancel, b->cancel) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct article_key	 key;
	static int			 ready;
	struct article			*a = NULL, *b = NULL;
	struct article_out		 o;
	char				*cause = NULL, *text;

	if (!ready) {
		if (article_key_make(&key) != 0)
			abort();
		ready = 1;
	}
	if (article_parse((const char *)data, size, 0, &a, &cause) != 0) {
		if (cause == NULL || a != NULL)	/* every refusal says why */
			abort();
		free(cause);
		return 0;
	}
	if (a->message_id == NULL || a->login == NULL || a->name == NULL ||
	    a->subject == NULL || a->body == NULL || a->signed_text == NULL)
		abort();
	o = (struct article_out){
		.uuid = a->uuid, .ident = a->ident, .newsgroup = "parta.fuzz",
		.login = a->login, .name = a->name, .subject = a->subject,
		.body = a->body, .refs = (const char *const *)a->refs,
		.nrefs = a->nrefs, .cancel = a->cancel, .date = a->date,
	};
	if ((text = article_write(&o, &key, &cause)) == NULL) {
		fprintf(stderr, "a parsed article cannot be written: %s\n",
		    cause);
		abort();
	}
	if (article_parse(text, strlen(text), 0, &b, &cause) != 0 ||
	    !fuzz_same(a, b)) {
		fprintf(stderr, "a written article does not read back: %s\n%s\n",
		    cause != NULL ? cause : "fields differ", text);
		abort();
	}
	article_free(a);
	article_free(b);
	free(text);
	return 0;
}
