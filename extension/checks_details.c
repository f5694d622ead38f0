/*
 * checks_details.c: the details of a household or member finding, as JSON text:
 * the values that made it fire and the threshold they were compared with.
 *
 * Details are read by analysts too (they see every finding, not names): they
 * never carry names, national IDs, house codes, birth dates or a home's position.
 * Years are Buddhist Era, as everywhere the users look.
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "refresh.h"

#define BE_OFFSET 543

/* Baht from satang, as a JSON number. */
static void
append_baht(StringInfo buf, int64 satang)
{
	if (satang < 0)
	{
		appendStringInfoChar(buf, '-');
		satang = -satang;
	}
	if (satang % 100 == 0)
		appendStringInfo(buf, INT64_FORMAT, satang / 100);
	else
		appendStringInfo(buf, INT64_FORMAT ".%02d", satang / 100, (int) (satang % 100));
}

void
append_json_string(StringInfo buf, const char *s, int len)
{
	appendStringInfoChar(buf, '"');
	for (int i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '"' || c == '\\')
			appendStringInfo(buf, "\\%c", c);
		else if (c < 0x20)
			appendStringInfo(buf, "\\u%04x", c);
		else
			appendStringInfoChar(buf, (char) c);
	}
	appendStringInfoChar(buf, '"');
}

static void
append_text(StringInfo buf, const text *t)
{
	append_json_string(buf, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

/* A whole number of hundredths (e.g. minutes to 2 decimals) as a JSON number. */
static void
append_hundredths(StringInfo buf, int64 hundredths)
{
	if (hundredths < 0)
	{
		appendStringInfoChar(buf, '-');
		hundredths = -hundredths;
	}
	appendStringInfo(buf, INT64_FORMAT, hundredths / 100);
	if (hundredths % 100 != 0)
	{
		appendStringInfo(buf, ".%02d", (int) (hundredths % 100));
		if (buf->data[buf->len - 1] == '0')
			buf->data[--buf->len] = '\0';
	}
}

/* Microseconds to minutes, to 2 decimals, rounded half away from zero. */
static int64
us_to_centiminutes(int64 us)
{
	return us >= 0 ? (us + 300000) / 600000 : -((-us + 300000) / 600000);
}

static void
income_details(StringInfo buf, const BmnFinding *f, const HouseholdRow *h, int persons)
{
	appendStringInfoString(buf, "{\"income_avg\": ");
	append_baht(buf, f->value);
	appendStringInfoString(buf, ", \"income_total\": ");
	append_baht(buf, h->facts.income_satang);
	appendStringInfo(buf, ", \"persons\": %d", persons);
	if (f->check == BMN_CHECK_INCOME_LOW)
	{
		appendStringInfoString(buf, ", \"income_threshold\": ");
		append_baht(buf, f->limit);
	}
	else if (f->check == BMN_CHECK_INCOME_HIGH)
	{
		appendStringInfoString(buf, ", \"income_high\": ");
		append_baht(buf, f->limit);
	}
	appendStringInfoChar(buf, '}');
}

static void
answer_details(StringInfo buf, const BmnFinding *f, const HouseholdRow *h)
{
	bool		first = true;

	appendStringInfoString(buf, "{\"indicators\": [");
	for (int i = 1; i <= BMN_MAX_INDICATOR; i++)
	{
		uint64		bit = bmn_bit(i);
		int			answer;

		if ((f->mask & bit) == 0)
			continue;
		answer = (h->facts.answer_passed & bit) ? 1 : 0;
		appendStringInfo(buf, "%s{\"indicator\": %d, \"answer\": %d, \"computed\": %d}",
						 first ? "" : ", ", i, answer, 1 - answer);
		first = false;
	}
	appendStringInfoString(buf, "]}");
}

/*
 * The details of a finding as JSON text, in out (reset first; one buffer serves
 * every finding of a refresh).
 */
const char *
finding_details(StringInfo out, const BmnFinding *f, const HouseholdRow *h,
				const BmnMemberFacts *members, int n_members)
{
	const BmnMemberFacts *m = f->member_index >= 0 && f->member_index < n_members ?
		&members[f->member_index] : NULL;
	StringInfo	buf = out;

	resetStringInfo(buf);
	switch (f->check)
	{
		case BMN_CHECK_INCOME_ZERO:
		case BMN_CHECK_INCOME_LOW:
		case BMN_CHECK_INCOME_HIGH:
			income_details(buf, f, h, n_members);
			break;
		case BMN_CHECK_HEAD_UNDER_15:
			appendStringInfo(buf, "{\"age\": " INT64_FORMAT ", \"relation\": %d, \"minimum\": " INT64_FORMAT "}",
							 f->value, m ? m->relation : 1, f->limit);
			break;
		case BMN_CHECK_AGE_OVER_80:
			appendStringInfo(buf, "{\"age\": " INT64_FORMAT ", \"maximum\": " INT64_FORMAT "}",
							 f->value, f->limit);
			break;
		case BMN_CHECK_AGE_IMPOSSIBLE:
			if (f->value < 0)
				appendStringInfo(buf, "{\"born_after_interview\": true, \"birth_year\": %d, \"interview_year\": %d}",
								 m ? m->birth_y + BE_OFFSET : 0,
								 h->facts.interview_y + BE_OFFSET);
			else
				appendStringInfo(buf, "{\"age\": " INT64_FORMAT ", \"maximum\": " INT64_FORMAT "}",
								 f->value, f->limit);
			break;
		case BMN_CHECK_FOREIGN_MAJORITY:
			appendStringInfo(buf, "{\"thai\": " INT64_FORMAT ", \"foreign\": " INT64_FORMAT "}",
							 f->value, f->limit);
			break;
		case BMN_CHECK_HEAD_COUNT:
			appendStringInfo(buf, "{\"heads\": " INT64_FORMAT ", \"persons\": " INT64_FORMAT "}",
							 f->value, f->limit);
			break;
		case BMN_CHECK_EDUCATION_AGE:
			appendStringInfo(buf, "{\"age\": %d, \"education\": " INT64_FORMAT ", \"max_education\": " INT64_FORMAT "}",
							 m ? Max(m->age, 0) : 0, f->value, f->limit);
			break;
		case BMN_CHECK_CHILD_NOT_IN_SCHOOL:
			appendStringInfo(buf, "{\"age\": " INT64_FORMAT ", \"in_school\": 0, \"education\": " INT64_FORMAT "}",
							 f->value, f->limit);
			break;
		case BMN_CHECK_OCCUPATION_AGE:
			appendStringInfo(buf, "{\"age\": %d, \"occupation\": " INT64_FORMAT ", \"minimum_age\": " INT64_FORMAT "}",
							 m ? Max(m->age, 0) : 0, f->value, f->limit);
			break;
		case BMN_CHECK_OCCUPATION_NO_INCOME:
			appendStringInfo(buf, "{\"occupation\": " INT64_FORMAT ", \"income\": 0}", f->value);
			break;
		case BMN_CHECK_NATIONAL_ID_INVALID:
			if (f->limit < 0)
				appendStringInfoString(buf, "{\"digits\": false}");
			else
				appendStringInfo(buf, "{\"check_digit\": " INT64_FORMAT ", \"expected\": " INT64_FORMAT "}",
								 f->value, f->limit);
			break;
		case BMN_CHECK_NO_CONSENT:
			appendStringInfoString(buf, "{\"consent\": 0}");
			break;
		case BMN_CHECK_ANSWER_CONTRADICTS:
			answer_details(buf, f, h);
			break;
		case BMN_CHECK_INTERVIEW_TOO_SHORT:
			appendStringInfoString(buf, "{\"minutes\": ");
			append_hundredths(buf, us_to_centiminutes(f->value));
			appendStringInfoString(buf, ", \"minimum\": ");
			append_hundredths(buf, us_to_centiminutes(f->limit));
			appendStringInfoChar(buf, '}');
			break;
		case BMN_CHECK_GPS_OUT_OF_AREA:
			/* outside Thailand: not a home's position, so it may be shown */
			appendStringInfo(buf, "{\"reason\": \"outside_thailand\", \"latitude\": %.6f, \"longitude\": %.6f}",
							 h->facts.latitude, h->facts.longitude);
			break;
		case BMN_CHECK_REGISTRY_HOUSE_MISSING:
			appendStringInfoString(buf, "{\"house_code_found\": false, \"village_code\": ");
			append_text(buf, h->village_code);
			appendStringInfoChar(buf, '}');
			break;
		case BMN_CHECK_REGISTRY_VILLAGE_MISMATCH:
			appendStringInfoString(buf, "{\"village_code\": ");
			append_text(buf, h->village_code);
			appendStringInfo(buf, ", \"registry_village_code\": \"%08d\"}",
							 h->facts.registry_house_village);
			break;
		case BMN_CHECK_REGISTRY_PERSON_MISMATCH:
			appendStringInfoChar(buf, '{');
			if (m)
			{
				appendStringInfo(buf, "\"sex\": %d, \"registry_sex\": ", m->sex);
				if (m->registry_sex == BMN_NONE)
					appendStringInfoString(buf, "null");
				else
					appendStringInfo(buf, "%d", m->registry_sex);
				appendStringInfo(buf, ", \"birth_year\": %d, \"registry_birth_year\": ",
								 m->birth_y + BE_OFFSET);
				if (m->registry_birth_y == BMN_NONE)
					appendStringInfoString(buf, "null");
				else
					appendStringInfo(buf, "%d", m->registry_birth_y + BE_OFFSET);
				appendStringInfo(buf, ", \"registry_village_code\": \"%08d\"", m->registry_village);
			}
			appendStringInfoChar(buf, '}');
			break;
		default:
			appendStringInfoString(buf, "{}");
			break;
	}
	return buf->data;
}
