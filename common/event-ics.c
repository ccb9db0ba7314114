/*
 * event-ics.c: events as iCalendar (RFC 5545), for the school's
 * calendar program (event.h).  The text is made by libical (Debian
 * libical-dev), not by hand: folding at 75 octets without cutting a
 * UTF-8 letter, escaping commas, semicolons and newlines in TEXT values,
 * and the property grammar are its business, and calendar programs read
 * what it writes.
 *
 * Times are written in UTC ("...Z"), as they are stored: no VTIMEZONE is
 * needed, and every calendar shows them in its own zone.  UID is the
 * event's UUID, so a calendar that imports the file again updates the
 * event instead of adding a second; SEQUENCE counts the edits and
 * STATUS:CANCELLED tells a cancellation.
 */
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "event.h"
#include "log.h"
#include "util.h"

/* A UTC date-time of t. */
static struct icaltimetype
event_ics_time(int64_t t)
{
	return icaltime_from_timet_with_zone((time_t)t, 0,
	    icaltimezone_get_utc_timezone());
}

/* The VEVENT of e, stamped now. */
static icalcomponent *
event_ics_one(const struct event *e, int64_t now)
{
	icalcomponent	*c = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	char		*uid = xasprintf("%s@parta", e->uuid);

	icalcomponent_add_property(c, icalproperty_new_uid(uid));
	icalcomponent_add_property(c,
	    icalproperty_new_dtstamp(event_ics_time(now)));
	icalcomponent_add_property(c,
	    icalproperty_new_dtstart(event_ics_time(e->starts_at)));
	icalcomponent_add_property(c, icalproperty_new_dtend(
	    event_ics_time(e->starts_at + 60 * e->minutes)));
	icalcomponent_add_property(c, icalproperty_new_summary(e->title));
	if (*e->place != '\0')
		icalcomponent_add_property(c,
		    icalproperty_new_location(e->place));
	if (strncmp(e->place, "https://", 8) == 0 ||
	    strncmp(e->place, "http://", 7) == 0)
		icalcomponent_add_property(c, icalproperty_new_url(e->place));
	if (*e->description != '\0')
		icalcomponent_add_property(c,
		    icalproperty_new_description(e->description));
	icalcomponent_add_property(c,
	    icalproperty_new_categories(event_kind_label(e->kind)));
	icalcomponent_add_property(c, icalproperty_new_status(
	    e->cancelled_at != 0 ? ICAL_STATUS_CANCELLED :
	    ICAL_STATUS_CONFIRMED));
	icalcomponent_add_property(c,
	    icalproperty_new_sequence((int)e->sequence));
	icalcomponent_add_property(c,
	    icalproperty_new_created(event_ics_time(e->created_at)));
	icalcomponent_add_property(c,
	    icalproperty_new_lastmodified(event_ics_time(e->updated_at)));
	free(uid);
	return c;
}

char *
event_ics(const struct event *v, size_t n)
{
	icalcomponent	*cal;
	char		*s, *out;
	int64_t		 now = now_unix();
	size_t		 i;

	cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal,
	    icalproperty_new_prodid("-//parta//events//RU"));
	icalcomponent_add_property(cal,
	    icalproperty_new_method(ICAL_METHOD_PUBLISH));
	for (i = 0; i < n; i++)
		icalcomponent_add_component(cal, event_ics_one(&v[i], now));
	if ((s = icalcomponent_as_ical_string_r(cal)) == NULL) {
		log_warn("ics: %s", icalerror_strerror(icalerrno));
		icalcomponent_free(cal);
		return NULL;
	}
	/* libical's allocator is its own: hand over one of ours. */
	out = xstrdup(s);
	icalmemory_free_buffer(s);
	icalcomponent_free(cal);
	return out;
}
