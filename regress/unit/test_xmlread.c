/*
 * test_xmlread.c: survey XML, one household at a time (etl/xmlread.c): values,
 * members, positions, what is refused, reject files.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"
#include "xmlread.h"

/* A temporary file holding s; its path (static, one at a time). */
static const char *
tmpxml(const char *s, size_t n)
{
	static char path[64];
	int			fd;

	strcpy(path, "/tmp/bmn-unit-xml-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, s, n) != (ssize_t) n)
		return NULL;
	close(fd);
	return path;
}

#define TMPXML(s) tmpxml((s), sizeof(s) - 1)

/* Runs f with stderr sent to /dev/null (problems are reported there). */
static void
silence(bool on)
{
	static int	saved = -1;

	fflush(stderr);
	if (on)
	{
		int			null = open("/dev/null", O_WRONLY);

		saved = dup(2);
		dup2(null, 2);
		close(null);
	}
	else if (saved >= 0)
	{
		dup2(saved, 2);
		close(saved);
		saved = -1;
	}
}

static const xmlr_field *
field(const xmlr_field *f, size_t first, size_t n, const char *name)
{
	for (size_t i = first; i < first + n; i++)
		if (strcmp(f[i].name, name) == 0)
			return &f[i];
	return NULL;
}

UNIT_TEST(xmlread_households_members_positions)
{
	const char *path = TMPXML(
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<x:bmn_households xmlns:x=\"urn:x\">\n"
		"  <note>skipped</note>\n"
		"  <x:bmn_household version=\"1\">\n"
		"    <x:household_id>H1</x:household_id><survey_year>๒๕๖๗</survey_year>\n"
		"    <!-- <sex>9</sex> a comment is no element -->\n"
		"    <village_name><![CDATA[บ้าน <นา>]]> &amp; co</village_name>\n"
		"    <member><member_no>1</member_no>\n"
		"      <sex>2</sex></member>\n"
		"    <member><member_no>2</member_no><sex>1</sex></member>\n"
		"    <meta><x:instanceID>uuid:1</x:instanceID></meta>\n"
		"  </x:bmn_household>\n"
		"  <bmn_household><household_id>H2</household_id></bmn_household>\n"
		"</x:bmn_households>\n");
	char		err[256];
	xmlr	   *r = xmlr_open(path, NULL, err, sizeof err);
	xmlr_household h;
	const xmlr_field *f;

	EXPECT(r != NULL);
	if (r == NULL)
		return;
	EXPECT(xmlr_root(r));
	EXPECT_STR(xmlr_root_name(r), "bmn_households");
	EXPECT_INT(xmlr_next(r, &h), XMLR_HOUSEHOLD);
	EXPECT_INT(h.ordinal, 1);
	EXPECT_INT(h.problems, 0);
	EXPECT_INT(h.household.line, 4);
	EXPECT_INT(h.household.col, 3);
	f = field(h.fields, h.household.first, h.household.n, "household_id");
	EXPECT(f && strcmp(f->value, "H1") == 0 && f->line == 5 && f->col == 5);
	f = field(h.fields, h.household.first, h.household.n, "survey_year");
	EXPECT(f && strcmp(f->value, "๒๕๖๗") == 0 && f->line == 5 && f->col == 40);
	f = field(h.fields, h.household.first, h.household.n, "village_name");
	EXPECT(f && strcmp(f->value, "บ้าน <นา> & co") == 0 && f->line == 7);
	EXPECT(field(h.fields, h.household.first, h.household.n, "sex") == NULL);
	EXPECT_INT(h.nmembers, 2);
	EXPECT_INT(h.members[0].line, 8);
	EXPECT_INT(h.members[0].col, 5);
	f = field(h.mfields, h.members[0].first, h.members[0].n, "sex");
	EXPECT(f && strcmp(f->value, "2") == 0 && f->line == 9 && f->col == 7);
	f = field(h.mfields, h.members[1].first, h.members[1].n, "sex");
	EXPECT(f && strcmp(f->value, "1") == 0 && f->line == 10 && f->col == 37);
	EXPECT(h.instance_id && strcmp(h.instance_id, "uuid:1") == 0);
	EXPECT_INT(xmlr_next(r, &h), XMLR_HOUSEHOLD);
	EXPECT_INT(h.ordinal, 2);
	EXPECT_INT(h.household.line, 13);
	EXPECT_INT(h.nmembers, 0);
	EXPECT(h.instance_id == NULL);
	EXPECT_INT(xmlr_next(r, &h), XMLR_EOF);
	EXPECT_STR(xmlr_skipped(r), "<note>");
	xmlr_close(r);
	unlink(path);
}

UNIT_TEST(xmlread_one_household_root)
{
	const char *path = TMPXML("<bmn_household><household_id>55-1</household_id>"
							  "<member><sex>1</sex></member></bmn_household>");
	char		err[256];
	xmlr	   *r = xmlr_open(path, NULL, err, sizeof err);
	xmlr_household h;

	EXPECT(r && xmlr_root(r));
	EXPECT_INT(xmlr_next(r, &h), XMLR_HOUSEHOLD);
	EXPECT_INT(h.household.n, 1);
	EXPECT_INT(h.nmembers, 1);
	EXPECT_INT(h.household.col, 1);
	EXPECT_INT(xmlr_next(r, &h), XMLR_EOF);
	xmlr_close(r);
	unlink(path);
}

/*
 * A file of more than 1 MB: the window is shifted while an element is being found.
 * locate() once kept pointers into the window across that shift, so the cursor ran
 * past the bytes read (make sanitize: heap-buffer-overflow in advance(); positions
 * wrong after the first megabyte otherwise).
 */
UNIT_TEST(xmlread_positions_past_window_shifts)
{
	const int	n = 3000;
	size_t		cap = (size_t) n * 800 + 200,
				len;
	char	   *s = malloc(cap),
				pad[601];
	const char *path;
	char		err[256];
	xmlr	   *r;
	xmlr_household h;
	int			bad = 0,
				got = 0;

	memset(pad, 'x', 600);
	pad[600] = '\0';
	len = (size_t) snprintf(s, cap, "<?xml version=\"1.0\"?>\n<bmn_households>\n");
	for (int i = 0; i < n; i++)
		len += (size_t) snprintf(s + len, cap - len,
								 "  <bmn_household>\n    <household_id>H%05d</household_id>\n"
								 "    <village_name>%s</village_name>\n  </bmn_household>\n",
								 i, pad);
	len += (size_t) snprintf(s + len, cap - len, "</bmn_households>\n");
	path = tmpxml(s, len);
	r = xmlr_open(path, NULL, err, sizeof err);
	EXPECT(r != NULL && xmlr_root(r));
	while (r && xmlr_next(r, &h) == XMLR_HOUSEHOLD)
	{
		const xmlr_field *f = field(h.fields, h.household.first, h.household.n, "household_id");

		if (h.household.line != (unsigned long) (3 + 4 * got) || h.household.col != 3 ||
			f == NULL || f->line != (unsigned long) (4 + 4 * got) || f->col != 5)
			bad++;
		got++;
	}
	EXPECT_INT(got, n);
	EXPECT_INT(bad, 0);
	xmlr_close(r);
	unlink(path);
	free(s);
}

/* A DOCTYPE is refused before the parser sees it: no entity is ever expanded or fetched. */
UNIT_TEST(xmlread_doctype_xxe_billion_laughs)
{
	static const char *docs[] = {
		"<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
		"<bmn_household><household_id>&e;</household_id></bmn_household>",
		"<!-- c --><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">"
		"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;\">]><bmn_household>&lol3;</bmn_household>",
	};
	char		err[256];

	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
	{
		const char *path = tmpxml(docs[i], strlen(docs[i]));
		xmlr	   *r = xmlr_open(path, NULL, err, sizeof err);

		EXPECT(r == NULL);
		EXPECT(strstr(err, "DOCTYPE") != NULL);
		xmlr_close(r);
		unlink(path);
	}
}

/* Past the prologue the reader refuses a DOCTYPE all the same. */
UNIT_TEST(xmlread_doctype_after_long_prologue)
{
	size_t		n = 80 * 1024;
	char	   *s = malloc(n + 200);
	const char *path;
	char		err[256];
	xmlr	   *r;

	strcpy(s, "<!--");
	memset(s + 4, 'c', n);
	strcpy(s + 4 + n, "--><!DOCTYPE x [<!ENTITY e SYSTEM \"http://example.com/\">]><bmn_household>&e;</bmn_household>");
	path = tmpxml(s, strlen(s));
	r = xmlr_open(path, NULL, err, sizeof err);
	EXPECT(r != NULL);
	if (r)
	{
		silence(true);
		EXPECT(!xmlr_root(r));
		silence(false);
		EXPECT(strstr(xmlr_error_message(r), "DOCTYPE") != NULL);
	}
	xmlr_close(r);
	unlink(path);
	free(s);
}

UNIT_TEST(xmlread_truncated_and_wrong_root)
{
	const char *path = TMPXML("<bmn_households>\n<bmn_household><household_id>H1</household_id>"
							  "</bmn_household>\n<bmn_household><household_id>H2</househ");
	char		err[256];
	xmlr	   *r = xmlr_open(path, NULL, err, sizeof err);
	xmlr_household h;

	EXPECT(r && xmlr_root(r));
	EXPECT_INT(xmlr_next(r, &h), XMLR_HOUSEHOLD);
	EXPECT_INT(xmlr_next(r, &h), XMLR_FATAL);
	EXPECT(strstr(xmlr_error_message(r), "XML") != NULL);
	EXPECT_INT(xmlr_error_line(r), 3);
	xmlr_close(r);
	unlink(path);

	path = TMPXML("<survey><a/></survey>");
	r = xmlr_open(path, NULL, err, sizeof err);
	EXPECT(r && !xmlr_root(r));
	EXPECT(strstr(xmlr_error_message(r), "root element is <survey>") != NULL);
	xmlr_close(r);
	unlink(path);

	path = TMPXML("\x01\x02\x03 not xml at all");
	r = xmlr_open(path, NULL, err, sizeof err);
	silence(true);
	EXPECT(r == NULL || !xmlr_root(r));
	silence(false);
	xmlr_close(r);
	unlink(path);
}

UNIT_TEST(xmlread_elements_out_of_place)
{
	const char *path = TMPXML("<bmn_household><sex><b>1</b></sex>loose text"
							  "<member><member><sex>1</sex></member></member></bmn_household>");
	char		err[256];
	xmlr	   *r = xmlr_open(path, NULL, err, sizeof err);
	xmlr_household h;

	EXPECT(r && xmlr_root(r));
	silence(true);
	EXPECT_INT(xmlr_next(r, &h), XMLR_HOUSEHOLD);
	silence(false);
	EXPECT_INT(h.problems, 3);
	xmlr_close(r);
	unlink(path);
}

/* CP874 XML without a declaration, read as CP874: values come out in UTF-8. */
UNIT_TEST(xmlread_cp874)
{
	const char *path = TMPXML("<bmn_household><village_name>\xba\xe9\xd2\xb9</village_name>"
							  "<survey_year>\xf2\xf5\xf6\xf7</survey_year></bmn_household>");
	char		err[256];
	xmlr	   *r = xmlr_open(path, "CP874", err, sizeof err);
	xmlr_household h;

	EXPECT(r && xmlr_root(r));
	EXPECT_INT(xmlr_next(r, &h), XMLR_HOUSEHOLD);
	EXPECT_STR(h.fields[0].value, "บ้าน");
	EXPECT_STR(h.fields[1].value, "๒๕๖๗");
	EXPECT_INT(h.fields[1].col, 49);	/* columns count characters, one byte each */
	xmlr_close(r);
	unlink(path);
}

static bool
want_even(unsigned long ordinal, void *ctx)
{
	(void) ctx;
	return ordinal % 2 == 0;
}

UNIT_TEST(xmlread_write_households)
{
	const char *path = TMPXML("<bmn_households><bmn_household><household_id>A</household_id>"
							  "</bmn_household><bmn_household><household_id>บ</household_id>"
							  "</bmn_household></bmn_households>");
	char	   *buf = NULL;
	size_t		len = 0;
	FILE	   *out = open_memstream(&buf, &len);

	EXPECT_INT(xmlr_write_households(path, NULL, out, want_even, NULL), 1);
	fclose(out);
	EXPECT(strstr(buf, "<bmn_households>") != NULL);
	EXPECT(strstr(buf, "<household_id>A</household_id>") == NULL);
	EXPECT(strstr(buf, "<bmn_household><household_id>บ</household_id></bmn_household>") != NULL);
	free(buf);
	unlink(path);
}

UNIT_TEST(xmlread_json_string)
{
	char		out[64];

	EXPECT_INT(xmlr_json_string("uuid:\"a\\b\"\n", out, sizeof out), 21);
	EXPECT_STR(out, "\"uuid:\\\"a\\\\b\\\"\\u000a\"");
	EXPECT_INT(xmlr_json_string("abcdef", out, 5), -1);
}
