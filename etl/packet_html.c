/*
 * packet_html.c: the certification packet as one HTML page (see packet_html.h).
 *
 * Every figure is a value of the packet's tables, as the views wrote it, with digits
 * grouped; numbers are parsed only to draw bars and to choose which indicators to
 * chart. Every value is escaped. Each row of an area table carries data-area and each
 * cell data-col (the view's column), so that tests and scripts can find a figure.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "packet_fmt.h"
#include "packet_html.h"
#include "packet_svg.h"

#define SUB_COLUMNS		8		/* sub-areas per table of a matrix */
#define WEAKEST_CHARTS	6		/* indicators charted by sub-area */

/* A column of a table: the view's column, its labels, and how to show it. */
typedef struct
{
	const char *col;
	const char *th;
	const char *en;
	char		kind;			/* 'n' number, 't' text, 'c' code, 'b' yes/no, 'A' area */
} colspec;

#define NCOLS(a) ((int) (sizeof (a) / sizeof (a)[0]))

/* ---- small pieces ------------------------------------------------------------------ */

static double
num(const char *s)
{
	char	   *end;
	double		v;

	if (s == NULL || *s == '\0')
		return NAN;
	v = strtod(s, &end);
	return *end == '\0' ? v : NAN;
}

/* "ไทย<span class="en">English</span>" */
static void
th_en(copybuf *b, const char *th, const char *en)
{
	pk_html(b, th);
	if (en && *en)
	{
		copybuf_puts(b, " <span class=\"en\">");
		pk_html(b, en);
		copybuf_puts(b, "</span>");
	}
}

static void
heading(copybuf *b, const char *tag, const char *th, const char *en)
{
	copybuf_printf(b, "<%s>", tag);
	th_en(b, th, en);
	copybuf_printf(b, "</%s>\n", tag);
}

static void
note(copybuf *b, const char *th, const char *en)
{
	copybuf_puts(b, "<p class=\"note\">");
	th_en(b, th, en);
	copybuf_puts(b, "</p>\n");
}

static int
rows(const PGresult *res)
{
	return res ? PQntuples(res) : 0;
}

static bool
is_area_row(const pk_packet *p, const PGresult *res, int r)
{
	const char *code = pk_get(res, r, "area_code");
	const char *level = pk_get(res, r, "level");

	return code && level && strcmp(code, p->area_code) == 0 && strcmp(level, p->level) == 0;
}

/* The sub-areas are the population table's rows after the area's (first) row. */
static int
n_subs(const pk_packet *p)
{
	int			n = rows(p->t[PK_POPULATION].res);

	return n > 0 ? n - 1 : 0;
}

static const char *
sub_code(const pk_packet *p, int i)
{
	return pk_get(p->t[PK_POPULATION].res, i + 1, "area_code");
}

static int
sub_index(const pk_packet *p, const char *code)
{
	for (int i = 0; code && i < n_subs(p); i++)
		if (strcmp(sub_code(p, i), code) == 0)
			return i;
	return -1;
}

/* An area's names, from the population table (which has every area of the packet). */
static const char *
area_name(const pk_packet *p, const char *code, const char *col)
{
	const PGresult *pop = p->t[PK_POPULATION].res;

	for (int r = 0; code && r < rows(pop); r++)
		if (strcmp(pk_get(pop, r, "area_code"), code) == 0)
			return pk_get(pop, r, col);
	return NULL;
}

static const char *
yes_no(const char *v, bool en)
{
	if (v == NULL)
		return "";
	if (strcmp(v, "t") == 0)
		return en ? "yes" : "ใช่";
	if (strcmp(v, "f") == 0)
		return en ? "no" : "ไม่";
	return v;
}

static const char *
severity_th(const char *s)
{
	if (s == NULL)
		return "";
	return strcmp(s, "error") == 0 ? "ผิดพลาด" : strcmp(s, "warning") == 0 ? "ต้องทบทวน"
		: strcmp(s, "info") == 0 ? "แจ้งให้ทราบ" : s;
}

static const char *
check_level_th(const char *s)
{
	if (s == NULL)
		return "";
	return strcmp(s, "household") == 0 ? "ครัวเรือน" : strcmp(s, "member") == 0 ? "บุคคล"
		: strcmp(s, "village") == 0 ? "หมู่บ้าน" : strcmp(s, "collector") == 0 ? "ผู้จัดเก็บ" : s;
}

/* ---- tables ------------------------------------------------------------------------ */

static void
table_open(copybuf *b, const char *id, const colspec *cs, int n)
{
	copybuf_puts(b, "<table");
	if (id)
	{
		copybuf_puts(b, " id=\"");
		pk_html(b, id);
		copybuf_putc(b, '"');
	}
	copybuf_puts(b, ">\n<thead><tr>");
	for (int i = 0; i < n; i++)
	{
		copybuf_puts(b, cs[i].kind == 'n' ? "<th class=\"n\">" : "<th>");
		th_en(b, cs[i].th, cs[i].en);
		copybuf_puts(b, "</th>");
	}
	copybuf_puts(b, "</tr></thead>\n<tbody>\n");
}

static void
table_close(copybuf *b)
{
	copybuf_puts(b, "</tbody></table>\n");
}

static void
area_cell(copybuf *b, const pk_packet *p, const PGresult *res, int r)
{
	const char *code = pk_get(res, r, "area_code");
	const char *th = pk_col(res, "name_th") >= 0 ? pk_get(res, r, "name_th")
		: area_name(p, code, "name_th");
	const char *en = pk_col(res, "name_en") >= 0 ? pk_get(res, r, "name_en")
		: area_name(p, code, "name_en");

	copybuf_puts(b, "<td class=\"area\" data-col=\"area_code\"><span class=\"code\">");
	pk_html(b, code);
	copybuf_puts(b, "</span> ");
	pk_html(b, th);
	if (en && *en)
	{
		copybuf_puts(b, "<span class=\"en\">");
		pk_html(b, en);
		copybuf_puts(b, "</span>");
	}
	copybuf_puts(b, "</td>");
}

static void
cell(copybuf *b, const pk_packet *p, const PGresult *res, int r, const colspec *c)
{
	const char *v;

	if (c->kind == 'A')
	{
		area_cell(b, p, res, r);
		return;
	}
	v = pk_get(res, r, c->col);
	copybuf_puts(b, c->kind == 'n' ? "<td class=\"n\"" : c->kind == 'c' ? "<td class=\"code\"" : "<td");
	copybuf_puts(b, " data-col=\"");
	pk_html(b, c->col);
	copybuf_puts(b, "\">");
	if (c->kind == 'n')
		pk_html_num(b, v);
	else if (c->kind == 'b')
		th_en(b, yes_no(v, false), yes_no(v, true));
	else
		pk_html(b, v);
	copybuf_puts(b, "</td>");
}

static void
row_open(copybuf *b, const pk_packet *p, const PGresult *res, int r)
{
	const char *code = pk_get(res, r, "area_code");

	copybuf_puts(b, "<tr");
	if (code)
	{
		copybuf_puts(b, " data-area=\"");
		pk_html(b, code);
		copybuf_putc(b, '"');
		if (is_area_row(p, res, r))
			copybuf_puts(b, " class=\"total\"");
	}
	copybuf_putc(b, '>');
}

/* A whole result as a table, rows first to last (last excluded; -1: to the end). */
static void
table_rows(copybuf *b, const pk_packet *p, const PGresult *res, const char *id,
		   const colspec *cs, int n, int first, int last)
{
	if (last < 0 || last > rows(res))
		last = rows(res);
	table_open(b, id, cs, n);
	for (int r = first; r < last; r++)
	{
		row_open(b, p, res, r);
		for (int i = 0; i < n; i++)
			cell(b, p, res, r, &cs[i]);
		copybuf_puts(b, "</tr>\n");
	}
	table_close(b);
}

/* ---- charts ------------------------------------------------------------------------ */

/* Labels of sub-area bars: "ชื่อ" or the code when the area list has no name. */
static const char *
sub_label(const pk_packet *p, const char *code)
{
	const char *th = area_name(p, code, "name_th");

	return th && *th ? th : code;
}

/*
 * A chart of one column over the sub-areas of an area table (rows after the first),
 * in the order given (order NULL: the table's).
 */
static void
sub_chart(copybuf *b, const pk_packet *p, const PGresult *res, const char *col,
		  const pk_chart *c, const int *order)
{
	int			n = rows(res) - 1;
	pk_bar	   *bars;

	if (n <= 0 || pk_col(res, col) < 0)
		return;
	bars = load_xcalloc((size_t) n, sizeof *bars);
	for (int i = 0; i < n; i++)
	{
		int			r = order ? order[i] : i + 1;

		bars[i].label = sub_label(p, pk_get(res, r, "area_code"));
		bars[i].value_text = pk_get(res, r, col);
		bars[i].value = num(bars[i].value_text);
	}
	pk_svg_hbars(b, c, bars, n);
	free(bars);
}

/* ---- the sections ------------------------------------------------------------------ */

static void
cover(copybuf *b, const pk_packet *p, const pk_stamp *when)
{
	const PGresult *pop = p->t[PK_POPULATION].res;
	const PGresult *conf = p->t[PK_CONFIDENCE].res;
	const PGresult *low = p->t[PK_LOW_INCOME_SUMMARY].res;
	const PGresult *cert = p->t[PK_CERTIFICATION].res;
	const PGresult *prog = p->t[PK_PROGRESS].res;
	const char *decision = NULL;

	copybuf_puts(b, "<header class=\"cover\">\n<p class=\"kicker\">ข้อมูลความจำเป็นพื้นฐาน (จปฐ.) "
				 "<span class=\"en\">Basic Minimum Needs (BMN) household data</span></p>\n");
	copybuf_printf(b, "<h1>เอกสารประกอบการรับรองข้อมูล จปฐ. ปี %d"
				   "<span class=\"en\">Certification packet, survey year %d BE (%d CE)</span></h1>\n",
				   p->year, p->year, p->year - 543);
	copybuf_puts(b, "<p class=\"area-title\"><strong id=\"area-name\">");
	{
		copybuf		t = {0};

		pk_area_title_th(&t, p->level, p->area_code, p->name_th);
		pk_html(b, t.data);
		copybuf_puts(b, "</strong> <span class=\"en\">");
		copybuf_reset(&t);
		pk_area_title_en(&t, p->level, p->area_code, p->name_en);
		pk_html(b, t.data);
		copybuf_free(&t);
	}
	copybuf_puts(b, "</span> · ");
	th_en(b, pk_level_th(p->level), pk_level_en(p->level));
	copybuf_puts(b, " · รหัส <span class=\"en\">code</span> <span class=\"code\">");
	pk_html(b, p->area_code);
	copybuf_puts(b, "</span></p>\n<p class=\"meta\">ชุดตัวชี้วัด <span class=\"en\">Indicator set</span>: ");
	th_en(b, p->set_name_th, p->set_name_en);
	copybuf_puts(b, "<br>จัดทำเมื่อ <span class=\"en\">Generated</span>: ");
	pk_thai_date(b, when->year, when->month, when->day);
	copybuf_printf(b, " เวลา %02d:%02d น. <span class=\"en\">(%04d-%02d-%02d %02d:%02d ",
				   when->hour, when->minute, when->year, when->month, when->day,
				   when->hour, when->minute);
	pk_html(b, when->zone);
	copybuf_printf(b, ", bmn %s)</span></p>\n", BMN_VERSION);

	/* Key figures: each the area's row of a table below. */
	copybuf_puts(b, "<div class=\"summary\">\n");
#define KEY(th, en, res, col, id) \
	do { copybuf_puts(b, "<div><span class=\"v\" id=\"" id "\">"); \
		 pk_html_num(b, pk_get(res, 0, col)); \
		 copybuf_puts(b, "</span>" th " <span class=\"en\">" en "</span></div>\n"); } while (0)
	KEY("ครัวเรือน", "households", pop, "households", "key-households");
	KEY("คน", "persons", pop, "persons", "key-persons");
	KEY("ครัวเรือนรายได้ไม่ผ่านเกณฑ์", "households failing the income indicator", low,
		"low_income_households", "key-low-income");
	KEY("ความเชื่อมั่น (%)", "confidence (%)", conf, "confidence_pct", "key-confidence");
	KEY("ครัวเรือนที่มีข้อสังเกต", "households with findings", conf,
		"households_with_findings", "key-findings");
	KEY("ข้อผิดพลาดที่ยังเปิดอยู่", "open errors", conf, "open_errors", "key-errors");
	if (rows(prog) > 0 && is_area_row(p, prog, 0))
	{
		for (int c = 0; c < PQnfields(prog); c++)
			if (strstr(PQfname(prog, c), "pct"))
			{
				KEY("จัดเก็บแล้ว (% ของเป้าหมาย)", "collected (% of target)", prog,
					PQfname(prog, c), "key-progress");
				break;
			}
	}
#undef KEY
	copybuf_puts(b, "<div><span class=\"v\">");
	th_en(b, yes_no(pk_get(conf, 0, "certifiable"), false), yes_no(pk_get(conf, 0, "certifiable"), true));
	copybuf_puts(b, "</span>รับรองได้ <span class=\"en\">certifiable</span></div>\n");
	if (rows(cert) > 0 && is_area_row(p, cert, 0))
		decision = pk_get(cert, 0, "decision");
	copybuf_puts(b, "<div><span class=\"v\">");
	if (decision == NULL)
		th_en(b, "ยังไม่มีมติ", "no decision");
	else if (strcmp(decision, "certified") == 0)
		th_en(b, strcmp(pk_get(cert, 0, "stale") ? pk_get(cert, 0, "stale") : "", "t") == 0
			  ? "รับรองแล้ว (มีข้อมูลใหม่)" : "รับรองแล้ว",
			  strcmp(pk_get(cert, 0, "stale") ? pk_get(cert, 0, "stale") : "", "t") == 0
			  ? "certified, stale" : "certified");
	else
		th_en(b, "ส่งคืนแก้ไข", decision);
	copybuf_puts(b, "</span>มติคณะทำงาน <span class=\"en\">committee decision</span></div>\n</div>\n");

	copybuf_puts(b, "<nav class=\"toc\"><strong>สารบัญ <span class=\"en\">Contents</span></strong><ol>"
				 "<li><a href=\"#s-population\">ประชากร <span class=\"en\">Population</span></a></li>"
				 "<li><a href=\"#s-indicators\">ตัวชี้วัด <span class=\"en\">Indicators</span></a></li>"
				 "<li><a href=\"#s-indicators-sub\">ตัวชี้วัดรายพื้นที่ <span class=\"en\">Indicators by sub-area</span></a></li>"
				 "<li><a href=\"#s-income\">รายได้และรายจ่าย <span class=\"en\">Income and expenditure</span></a></li>"
				 "<li><a href=\"#s-low-income\">ครัวเรือนที่รายได้ไม่ผ่านเกณฑ์ <span class=\"en\">Households failing the income indicator</span></a></li>"
				 "<li><a href=\"#s-findings\">ผลการตรวจสอบ <span class=\"en\">Findings by check</span></a></li>"
				 "<li><a href=\"#s-progress\">ความก้าวหน้าการจัดเก็บ <span class=\"en\">Collection progress</span></a></li>"
				 "<li><a href=\"#s-confidence\">ความเชื่อมั่นและการรับรอง <span class=\"en\">Confidence and certification</span></a></li>"
				 "<li><a href=\"#s-sample\">ครัวเรือนตัวอย่างสำหรับทวนสอบ <span class=\"en\">Review sample</span></a></li>"
				 "<li><a href=\"#s-signatures\">ลงนามคณะทำงาน <span class=\"en\">Committee signatures</span></a></li>"
				 "</ol></nav>\n</header>\n");
}

static void
section_open(copybuf *b, const char *id, bool page, int no, const char *th, const char *en)
{
	copybuf_printf(b, "<section id=\"%s\"%s>\n<h2>%d. ", id, page ? " class=\"page\"" : "", no);
	th_en(b, th, en);
	copybuf_puts(b, "</h2>\n");
}

static void
section_population(copybuf *b, const pk_packet *p)
{
	static const colspec cs[] = {
		{"area_code", "พื้นที่", "Area", 'A'},
		{"households", "ครัวเรือน", "Households", 'n'},
		{"persons", "คน", "Persons", 'n'},
		{"male", "ชาย", "Male", 'n'},
		{"female", "หญิง", "Female", 'n'},
		{"age_0_5", "0-5 ปี", "0-5", 'n'},
		{"age_6_14", "6-14 ปี", "6-14", 'n'},
		{"age_15_59", "15-59 ปี", "15-59", 'n'},
		{"age_60_plus", "60 ปีขึ้นไป", "60+", 'n'},
		{"thai", "สัญชาติไทย", "Thai", 'n'},
		{"foreigners", "ต่างชาติ", "Foreign", 'n'},
	};
	static const colspec pov[] = {
		{"area_code", "พื้นที่", "Area", 'A'},
		{"persons", "คน", "Persons", 'n'},
		{"poor", "คนจน", "Poor", 'n'},
		{"target_poor", "คนจนเป้าหมาย", "Target poor", 'n'},
		{"pct_target_poor", "% เป้าหมาย", "% target", 'n'},
		{"health", "สุขภาพ", "Health", 'n'},
		{"living", "ความเป็นอยู่", "Living", 'n'},
		{"education", "การศึกษา", "Education", 'n'},
		{"income", "รายได้", "Income", 'n'},
		{"access", "การเข้าถึงบริการรัฐ", "Access to services", 'n'},
	};

	section_open(b, "s-population", false, 1, "ประชากร", "Population");
	note(b, "จาก bmn.population_report: พื้นที่และพื้นที่ย่อย",
		 "From bmn.population_report: the area, then its sub-areas.");
	table_rows(b, p, p->t[PK_POPULATION].res, "population", cs, NCOLS(cs), 0, -1);
	if (n_subs(p) > 0)
	{
		pk_chart	c = {"Households by sub-area", 0, NAN, NULL, NULL, false};

		heading(b, "h3", "ครัวเรือนรายพื้นที่ย่อย", "Households by sub-area");
		sub_chart(b, p, p->t[PK_POPULATION].res, "households", &c, NULL);
	}
	heading(b, "h3", "คนจนตามมิติ TPMAP", "Poverty by TPMAP dimension");
	note(b, "จาก bmn.poverty_report: คนจน = ขาดอย่างน้อย 1 มิติ; คนจนเป้าหมาย = คนจนที่มีบัตรสวัสดิการแห่งรัฐ; "
		 "จำนวนคนที่ขาดในแต่ละมิติ",
		 "From bmn.poverty_report: poor, deprived in at least one dimension; target poor, the poor "
		 "holding a state welfare card; persons deprived in each dimension.");
	table_rows(b, p, p->t[PK_POVERTY].res, "poverty", pov, NCOLS(pov), 0, -1);
	copybuf_puts(b, "</section>\n");
}

/* Rows of the indicator table: the area's, and per sub-area and indicator. */
typedef struct
{
	int			area[65];		/* indicator number -> row, -1 */
	int		   *sub;			/* [sub * 65 + indicator] -> row, -1 */
	int			nsub;
} ind_index;

static void
ind_index_build(ind_index *x, const pk_packet *p)
{
	const PGresult *res = p->t[PK_INDICATORS].res;

	x->nsub = n_subs(p);
	x->sub = load_xmalloc(sizeof(int) * 65 * (size_t) (x->nsub > 0 ? x->nsub : 1));
	for (int i = 0; i < 65; i++)
		x->area[i] = -1;
	for (int i = 0; i < 65 * x->nsub; i++)
		x->sub[i] = -1;
	for (int r = 0; r < rows(res); r++)
	{
		int			no = atoi(pk_get(res, r, "indicator_no"));
		int			s;

		if (no < 1 || no > 64)
			continue;
		if (is_area_row(p, res, r))
			x->area[no] = r;
		else if ((s = sub_index(p, pk_get(res, r, "area_code"))) >= 0)
			x->sub[s * 65 + no] = r;
	}
}

static void
ind_label(copybuf *b, const PGresult *res, int r)
{
	copybuf_printf(b, "%s. %s", pk_get(res, r, "indicator_no"),
				   pk_get(res, r, "name_th") ? pk_get(res, r, "name_th") : "");
}

static void
section_indicators(copybuf *b, const pk_packet *p)
{
	static const colspec cs[] = {
		{"indicator_no", "ข้อ", "No.", 'n'},
		{"name_th", "ตัวชี้วัด", "Indicator", 't'},
		{"households_applicable", "ครัวเรือนที่เกี่ยวข้อง", "Households applicable", 'n'},
		{"households_passed", "ผ่าน", "Passed", 'n'},
		{"households_failed", "ไม่ผ่าน", "Failed", 'n'},
		{"pct_passed", "% ผ่าน", "% passed", 'n'},
		{"persons_applicable", "คนที่เกี่ยวข้อง", "Persons applicable", 'n'},
		{"persons_passed", "คนผ่าน", "Persons passed", 'n'},
		{"persons_failed", "คนไม่ผ่าน", "Persons failed", 'n'},
	};
	const PGresult *res = p->t[PK_INDICATORS].res;
	int			n = 0;
	pk_bar	   *bars = load_xcalloc((size_t) rows(res) + 1, sizeof *bars);
	copybuf		labels = {0};
	size_t	   *offs = load_xcalloc((size_t) rows(res) + 1, sizeof *offs);
	const char *category = NULL;

	section_open(b, "s-indicators", true, 2, "ผลการผ่านเกณฑ์ตัวชี้วัด", "Indicators passed and failed");
	if (p->t[PK_INDICATORS].note[0])
		note(b, p->t[PK_INDICATORS].note_th, p->t[PK_INDICATORS].note);
	note(b, "ร้อยละของครัวเรือนที่ผ่านเกณฑ์ (สีเขียว) และไม่ผ่าน (สีแดง) จาก bmn.indicator_rollup",
		 "Share of applicable households passing (green) and failing (red), from bmn.indicator_rollup.");

	/* Labels first, in one buffer: bars point into it once it stops growing. */
	for (int r = 0; r < rows(res) && is_area_row(p, res, r); r++)
	{
		offs[n++] = labels.len;
		ind_label(&labels, res, r);
		copybuf_putc(&labels, '\0');
	}
	for (int i = 0; i < n; i++)
	{
		bars[i].label = labels.data + offs[i];
		bars[i].value_text = pk_get(res, i, "pct_passed");
		bars[i].value = num(bars[i].value_text);
	}
	if (n > 0)
	{
		pk_chart	c = {"Indicators: % of households passed", 100, NAN, NULL, "%", true};

		pk_svg_hbars(b, &c, bars, n);
	}

	table_open(b, "indicators", cs, NCOLS(cs));
	for (int r = 0; r < n; r++)
	{
		const char *cat = pk_get(res, r, "category");

		if (cat && (category == NULL || strcmp(cat, category) != 0))
		{
			copybuf_printf(b, "<tr class=\"group\"><td colspan=\"%d\">", NCOLS(cs));
			th_en(b, pk_get(res, r, "category_th"), cat);
			copybuf_puts(b, "</td></tr>\n");
			category = cat;
		}
		row_open(b, p, res, r);
		for (int i = 0; i < NCOLS(cs); i++)
		{
			if (strcmp(cs[i].col, "name_th") == 0)
			{
				copybuf_puts(b, "<td data-col=\"name\">");
				pk_html(b, pk_get(res, r, "name_th"));
				copybuf_puts(b, "<span class=\"en\">");
				pk_html(b, pk_get(res, r, "name_en"));
				copybuf_puts(b, "</span></td>");
			}
			else
				cell(b, p, res, r, &cs[i]);
		}
		copybuf_puts(b, "</tr>\n");
	}
	table_close(b);
	copybuf_puts(b, "</section>\n");
	free(bars);
	free(offs);
	copybuf_free(&labels);
}

/* Indicators of the area with the lowest pass rates (below 100%), weakest first. */
static int
weakest(const pk_packet *p, const ind_index *x, int *out, int max)
{
	const PGresult *res = p->t[PK_INDICATORS].res;
	int			n = 0;
	double		pct[65];

	for (int no = 1; no <= 64; no++)
	{
		int			r = x->area[no];

		pct[no] = r < 0 ? NAN : num(pk_get(res, r, "pct_passed"));
		if (!isnan(pct[no]) && pct[no] < 100)
			out[n++] = no;
	}
	/* Insertion sort: at most 64. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && pct[out[j]] < pct[out[j - 1]]; j--)
		{
			int			t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n < max ? n : max;
}

static void
section_indicators_sub(copybuf *b, const pk_packet *p)
{
	const PGresult *res = p->t[PK_INDICATORS].res;
	ind_index	x;
	int			weak[64];
	int			nweak;
	int			nsub = n_subs(p);

	section_open(b, "s-indicators-sub", true, 3, "ตัวชี้วัดรายพื้นที่ย่อย", "Indicators by sub-area");
	if (nsub == 0)
	{
		note(b, "พื้นที่นี้ไม่มีพื้นที่ย่อย", "This area has no sub-areas.");
		copybuf_puts(b, "</section>\n");
		return;
	}
	ind_index_build(&x, p);
	nweak = weakest(p, &x, weak, WEAKEST_CHARTS);
	if (nweak > 0)
	{
		copybuf		t = {0};

		copybuf_printf(&t, "ตัวชี้วัดที่%sผ่านเกณฑ์น้อยที่สุด %d ข้อ: ร้อยละของครัวเรือนที่ผ่านในแต่ละ%s",
					   pk_level_th(p->level), nweak, pk_level_th(p->child_level));
		note(b, t.data, "The indicators the area passes least: % of households passed in each sub-area.");
		copybuf_free(&t);
	}
	else
		note(b, "ทุกตัวชี้วัดผ่านเกณฑ์ครบทุกครัวเรือน", "Every applicable household passes every indicator.");
	for (int k = 0; k < nweak; k++)
	{
		int			no = weak[k];
		int			ar = x.area[no];
		pk_bar	   *bars = load_xcalloc((size_t) nsub, sizeof *bars);
		pk_chart	c = {"% of households passed by sub-area", 100, NAN, NULL, "%", true};
		copybuf		t = {0};

		copybuf_printf(&t, "ข้อ %d %s (%s %s%%)", no, pk_get(res, ar, "name_th"),
					   pk_level_th(p->level), pk_get(res, ar, "pct_passed"));
		copybuf_printf(b, "<h3 data-indicator=\"%d\">", no);
		th_en(b, t.data, pk_get(res, ar, "name_en"));
		copybuf_puts(b, "</h3>\n");
		/* The area's own rate as the reference line. */
		c.ref = num(pk_get(res, ar, "pct_passed"));
		c.ref_label = pk_level_th(p->level);
		for (int s = 0; s < nsub; s++)
		{
			int			r = x.sub[s * 65 + no];

			bars[s].label = sub_label(p, sub_code(p, s));
			bars[s].value_text = r < 0 ? NULL : pk_get(res, r, "pct_passed");
			bars[s].value = num(bars[s].value_text);
		}
		pk_svg_hbars(b, &c, bars, nsub);
		copybuf_free(&t);
		free(bars);
	}

	/* Every indicator and sub-area, SUB_COLUMNS sub-areas per table. */
	heading(b, "h3", "ร้อยละของครัวเรือนที่ผ่านเกณฑ์ ทุกตัวชี้วัด", "% of households passed, every indicator");
	for (int from = 0; from < nsub; from += SUB_COLUMNS)
	{
		int			to = from + SUB_COLUMNS < nsub ? from + SUB_COLUMNS : nsub;

		copybuf_printf(b, "<table class=\"matrix\" id=\"indicators-by-sub-%d\">\n<thead><tr><th>ข้อ "
					   "<span class=\"en\">No.</span></th><th class=\"n\">", from / SUB_COLUMNS + 1);
		th_en(b, pk_level_th(p->level), pk_level_en(p->level));
		copybuf_puts(b, "</th>");
		for (int s = from; s < to; s++)
		{
			copybuf_puts(b, "<th class=\"n\">");
			pk_html(b, sub_label(p, sub_code(p, s)));
			copybuf_puts(b, "<span class=\"en code\">");
			pk_html(b, sub_code(p, s));
			copybuf_puts(b, "</span></th>");
		}
		copybuf_puts(b, "</tr></thead>\n<tbody>\n");
		for (int no = 1; no <= 64; no++)
		{
			if (x.area[no] < 0)
				continue;
			copybuf_printf(b, "<tr data-indicator=\"%d\"><td class=\"n\">%d</td>"
						   "<td class=\"n total\" data-area=\"", no, no);
			pk_html(b, p->area_code);
			copybuf_puts(b, "\">");
			pk_html_num(b, pk_get(res, x.area[no], "pct_passed"));
			copybuf_puts(b, "</td>");
			for (int s = from; s < to; s++)
			{
				int			r = x.sub[s * 65 + no];

				copybuf_puts(b, "<td class=\"n\" data-area=\"");
				pk_html(b, sub_code(p, s));
				copybuf_puts(b, "\">");
				if (r >= 0 && pk_get(res, r, "pct_passed"))
					pk_html_num(b, pk_get(res, r, "pct_passed"));
				else
					copybuf_puts(b, "–");
				copybuf_puts(b, "</td>");
			}
			copybuf_puts(b, "</tr>\n");
		}
		table_close(b);
	}
	free(x.sub);
	copybuf_puts(b, "</section>\n");
}

static void
section_income(copybuf *b, const pk_packet *p)
{
	static const colspec cs[] = {
		{"area_code", "พื้นที่", "Area", 'A'},
		{"households", "ครัวเรือน", "Households", 'n'},
		{"persons", "คน", "Persons", 'n'},
		{"mean_income_per_person", "รายได้เฉลี่ยต่อคน", "Mean income per person", 'n'},
		{"median_income_per_person", "มัธยฐานต่อคน", "Median per person", 'n'},
		{"mean_income_per_household", "รายได้เฉลี่ยต่อครัวเรือน", "Mean income per household", 'n'},
		{"mean_expense_per_household", "รายจ่ายเฉลี่ยต่อครัวเรือน", "Mean expenditure per household", 'n'},
		{"households_with_expense", "ตอบรายจ่าย", "With expenditure", 'n'},
	};
	static const colspec src[] = {
		{"area_code", "พื้นที่", "Area", 'A'},
		{"mean_income_main", "อาชีพหลัก", "Main occupation", 'n'},
		{"mean_income_secondary", "อาชีพรอง", "Secondary occupation", 'n'},
		{"mean_income_other", "รายได้อื่น", "Other income", 'n'},
		{"mean_income_own_production", "ผลิตเอง (คิดเป็นเงิน)", "Own production", 'n'},
	};
	pk_chart	c = {"Mean income per person by sub-area", 0, NAN, NULL, NULL, false};

	section_open(b, "s-income", true, 4, "รายได้และรายจ่าย", "Income and expenditure");
	note(b, "จาก bmn.income_report (บาทต่อปี)", "From bmn.income_report (baht a year).");
	table_rows(b, p, p->t[PK_INCOME].res, "income", cs, NCOLS(cs), 0, -1);
	heading(b, "h3", "รายได้เฉลี่ยต่อครัวเรือนตามแหล่งที่มา (บาท/ปี)",
			"Mean income per household by source (baht/year)");
	table_rows(b, p, p->t[PK_INCOME].res, "income-sources", src, NCOLS(src), 0, -1);
	if (n_subs(p) > 0)
	{
		copybuf		t = {0};

		c.ref = num(p->income_threshold);
		if (p->income_threshold)
		{
			copybuf_puts(&t, "เกณฑ์ ");
			pk_group_digits(&t, p->income_threshold);
			c.ref_label = t.data;
		}
		heading(b, "h3", "รายได้เฉลี่ยต่อคนรายพื้นที่ย่อย (บาท/คน/ปี)",
				"Mean income per person by sub-area (baht/person/year)");
		sub_chart(b, p, p->t[PK_INCOME].res, "mean_income_per_person", &c, NULL);
		copybuf_free(&t);
	}
	copybuf_puts(b, "</section>\n");
}

static void
section_low_income(copybuf *b, const pk_packet *p)
{
	static const colspec sum[] = {
		{"area_code", "พื้นที่", "Area", 'A'},
		{"households", "ครัวเรือน", "Households", 'n'},
		{"low_income_households", "รายได้ไม่ผ่านเกณฑ์", "Failing the income indicator", 'n'},
		{"pct_low_income", "ร้อยละ", "%", 'n'},
	};
	static const colspec list[] = {
		{"household_id", "รหัสครัวเรือน", "Household", 'c'},
		{"village_code", "หมู่บ้าน", "Village", 'c'},
		{"village_name_th", "ชื่อหมู่บ้าน", "Village name", 't'},
		{"house_no", "บ้านเลขที่", "House no.", 't'},
		{"collector_id", "ผู้จัดเก็บ", "Collector", 'c'},
		{"persons", "คน", "Persons", 'n'},
		{"income_total", "รายได้รวม บาท/ปี", "Income, baht/year", 'n'},
		{"income_avg", "บาท/คน/ปี", "Baht/person/year", 'n'},
	};
	const PGresult *res = p->t[PK_LOW_INCOME].res;
	copybuf		t = {0};

	section_open(b, "s-low-income", true, 5, "ครัวเรือนที่รายได้ไม่ผ่านเกณฑ์",
				 "Households failing the income indicator");
	copybuf_puts(&t, "รายได้เฉลี่ยต่ำกว่า ");
	pk_group_digits(&t, p->income_threshold ? p->income_threshold : "–");
	copybuf_puts(&t, " บาท/คน/ปี (bmn.low_income_households)");
	{
		copybuf		e = {0};

		copybuf_puts(&e, "Average income below ");
		pk_group_digits(&e, p->income_threshold ? p->income_threshold : "–");
		copybuf_puts(&e, " baht/person/year, the round's threshold.");
		note(b, t.data, e.data);
		copybuf_free(&e);
	}
	table_rows(b, p, p->t[PK_LOW_INCOME_SUMMARY].res, "low-income-summary", sum, NCOLS(sum), 0, -1);
	if (n_subs(p) > 0)
	{
		pk_chart	c = {"% of households failing the income indicator", 0, NAN, NULL, "%", false};

		sub_chart(b, p, p->t[PK_LOW_INCOME_SUMMARY].res, "pct_low_income", &c, NULL);
	}
	heading(b, "h3", "รายชื่อครัวเรือน", "The households");
	if (rows(res) == 0)
		note(b, "ไม่มีครัวเรือนที่รายได้ไม่ผ่านเกณฑ์", "No household fails the income indicator.");
	else
	{
		table_rows(b, p, res, "low-income", list, NCOLS(list), 0, PK_HTML_MAX_LISTED);
		if (rows(res) > PK_HTML_MAX_LISTED)
		{
			copybuf		th = {0},
						en = {0};

			copybuf_printf(&th, "แสดง %d ครัวเรือนแรกจาก %d ครัวเรือน ทั้งหมดอยู่ในแฟ้ม low_income_households.csv",
						   PK_HTML_MAX_LISTED, rows(res));
			copybuf_printf(&en, "The first %d of %d households; all are in low_income_households.csv.",
						   PK_HTML_MAX_LISTED, rows(res));
			note(b, th.data, en.data);
			copybuf_free(&th);
			copybuf_free(&en);
		}
	}
	copybuf_free(&t);
	copybuf_puts(b, "</section>\n");
}

static void
section_findings(copybuf *b, const pk_packet *p)
{
	const PGresult *res = p->t[PK_FINDINGS].res;
	const PGresult *clear = p->clear_checks;
	int			narea = 0;
	int			nsub = n_subs(p);

	section_open(b, "s-findings", true, 6, "ผลการตรวจสอบความสมเหตุสมผลของข้อมูล", "Findings by check");
	note(b, "จาก bmn.anomaly_summary: จำนวนข้อสังเกตที่ยังเปิดอยู่ ที่ยืนยันแล้ว และฐานที่ใช้นับ "
		 "(ครัวเรือน คน หมู่บ้าน หรือผู้จัดเก็บ ตามระดับของการตรวจ)",
		 "From bmn.anomaly_summary: open findings, confirmed ones, and the denominator they are out of "
		 "(households, persons, villages or collectors, by the check's level).");
	copybuf_puts(b, "<table id=\"findings\">\n<thead><tr><th>รหัสการตรวจ <span class=\"en\">Check</span></th>"
				 "<th>ระดับความรุนแรง <span class=\"en\">Severity</span></th>"
				 "<th>ระดับ <span class=\"en\">Level</span></th>"
				 "<th class=\"n\">ข้อสังเกตที่เปิดอยู่ <span class=\"en\">Open findings</span></th>"
				 "<th class=\"n\">ยืนยันแล้ว <span class=\"en\">Confirmed</span></th>"
				 "<th class=\"n\">จากทั้งหมด <span class=\"en\">Out of</span></th>"
				 "<th class=\"n\">ร้อยละ <span class=\"en\">%</span></th></tr></thead>\n<tbody>\n");
	for (int r = 0; r < rows(res) && is_area_row(p, res, r); r++, narea++)
	{
		const char *sev = pk_get(res, r, "severity");

		copybuf_puts(b, "<tr data-check=\"");
		pk_html(b, pk_get(res, r, "check_code"));
		copybuf_puts(b, "\"><td><span class=\"code\">");
		pk_html(b, pk_get(res, r, "check_code"));
		copybuf_puts(b, "</span><br>");
		th_en(b, pk_get(res, r, "name_th"), pk_get(res, r, "name_en"));
		copybuf_puts(b, "</td><td class=\"sev-");
		pk_html(b, sev);
		copybuf_puts(b, "\">");
		th_en(b, severity_th(sev), sev);
		copybuf_puts(b, "</td><td>");
		th_en(b, check_level_th(pk_get(res, r, "check_level")), pk_get(res, r, "check_level"));
		copybuf_puts(b, "</td><td class=\"n\" data-col=\"count\">");
		pk_html_num(b, pk_get(res, r, "count"));
		copybuf_puts(b, "</td><td class=\"n\" data-col=\"confirmed\">");
		pk_html_num(b, pk_get(res, r, "confirmed"));
		copybuf_puts(b, "</td><td class=\"n\" data-col=\"denominator\">");
		pk_html_num(b, pk_get(res, r, "denominator"));
		copybuf_puts(b, "</td><td class=\"n\" data-col=\"pct\">");
		pk_html_num(b, pk_get(res, r, "pct"));
		copybuf_puts(b, "</td></tr>\n");
	}
	if (narea == 0)
		copybuf_puts(b, "<tr><td colspan=\"7\">ไม่พบข้อสังเกต <span class=\"en\">No findings</span></td></tr>\n");
	table_close(b);

	if (rows(clear) > 0)
	{
		copybuf_puts(b, "<p class=\"clear\"><strong>การตรวจที่ไม่พบข้อสังเกต <span class=\"en\">Checks "
					 "without findings</span>:</strong> ");
		for (int r = 0; r < rows(clear); r++)
		{
			copybuf_puts(b, r ? ", <span class=\"code\">" : "<span class=\"code\">");
			pk_html(b, pk_get(clear, r, "check_code"));
			copybuf_puts(b, "</span>");
		}
		copybuf_puts(b, "</p>\n");
	}

	/* Open findings per check and sub-area. */
	if (nsub > 0 && narea > 0)
	{
		heading(b, "h3", "ข้อสังเกตที่เปิดอยู่รายพื้นที่ย่อย", "Open findings by sub-area");
		for (int from = 0; from < nsub; from += SUB_COLUMNS)
		{
			int			to = from + SUB_COLUMNS < nsub ? from + SUB_COLUMNS : nsub;

			copybuf_printf(b, "<table class=\"matrix\" id=\"findings-by-sub-%d\">\n<thead><tr>"
						   "<th>รหัสการตรวจ <span class=\"en\">Check</span></th>", from / SUB_COLUMNS + 1);
			for (int s = from; s < to; s++)
			{
				copybuf_puts(b, "<th class=\"n\">");
				pk_html(b, sub_label(p, sub_code(p, s)));
				copybuf_puts(b, "<span class=\"en code\">");
				pk_html(b, sub_code(p, s));
				copybuf_puts(b, "</span></th>");
			}
			copybuf_puts(b, "</tr></thead>\n<tbody>\n");
			for (int a = 0; a < narea; a++)
			{
				const char *check = pk_get(res, a, "check_code");

				copybuf_puts(b, "<tr><td class=\"code\">");
				pk_html(b, check);
				copybuf_puts(b, "</td>");
				for (int s = from; s < to; s++)
				{
					const char *v = NULL;

					for (int r = narea; r < rows(res); r++)
						if (strcmp(pk_get(res, r, "check_code"), check) == 0 &&
							strcmp(pk_get(res, r, "area_code"), sub_code(p, s)) == 0)
						{
							v = pk_get(res, r, "count");
							break;
						}
					copybuf_puts(b, "<td class=\"n\">");
					if (v)
						pk_html_num(b, v);
					else
						copybuf_puts(b, "–");
					copybuf_puts(b, "</td>");
				}
				copybuf_puts(b, "</tr>\n");
			}
			table_close(b);
		}
	}
	copybuf_puts(b, "</section>\n");
}

/* Labels of bmn.collection_progress's columns, found by what their names hold. */
static void
progress_label(const char *col, const char **th, const char **en)
{
	*th = col;
	*en = NULL;
	if (strstr(col, "target"))
		*th = "เป้าหมาย (ทะเบียนบ้าน)", *en = "Target (registry)";
	else if (strstr(col, "collected"))
		*th = "จัดเก็บแล้ว", *en = "Collected";
	else if (strstr(col, "pct"))
		*th = "ร้อยละของเป้าหมาย", *en = "% of target";
	else if (strstr(col, "rank"))
		*th = "อันดับในพื้นที่", *en = "Rank in its parent area";
}

static int
find_col(const PGresult *res, const char *part)
{
	for (int c = 0; res && c < PQnfields(res); c++)
		if (strstr(PQfname(res, c), part))
			return c;
	return -1;
}

static void
section_progress(copybuf *b, const pk_packet *p)
{
	const pk_table *t = &p->t[PK_PROGRESS];
	const PGresult *res = t->res;
	int			n = rows(res);
	int		   *order;
	int			rank_col,
				pct_col;
	bool		skip[256] = {false};
	int			ncols;

	section_open(b, "s-progress", true, 7, "ความก้าวหน้าการจัดเก็บข้อมูลและอันดับ",
				 "Collection progress and rankings");
	if (res == NULL)
	{
		note(b, t->note_th, t->note);
		copybuf_puts(b, "</section>\n");
		return;
	}
	note(b, "จาก bmn.collection_progress: ครัวเรือนที่จัดเก็บเทียบกับเป้าหมายจากทะเบียนบ้าน "
		 "เรียงตามอันดับ",
		 "From bmn.collection_progress: households collected against the registry's target, by rank.");
	ncols = PQnfields(res) < 256 ? PQnfields(res) : 256;
	for (int c = 0; c < ncols; c++)
	{
		const char *f = PQfname(res, c);

		skip[c] = strcmp(f, "year") == 0 || strcmp(f, "level") == 0 ||
			strcmp(f, "area_code") == 0 || strcmp(f, "name_th") == 0 ||
			strcmp(f, "name_en") == 0 || strcmp(f, "parent_code") == 0;
	}
	rank_col = find_col(res, "rank");
	pct_col = find_col(res, "pct");

	/* The area first, then its sub-areas by rank. */
	order = load_xmalloc(sizeof(int) * (size_t) (n > 0 ? n : 1));
	for (int r = 0; r < n; r++)
		order[r] = r;
	if (rank_col >= 0)
		for (int i = 2; i < n; i++)
			for (int j = i; j > 1 && num(PQgetvalue(res, order[j], rank_col)) <
				 num(PQgetvalue(res, order[j - 1], rank_col)); j--)
			{
				int			tmp = order[j];

				order[j] = order[j - 1];
				order[j - 1] = tmp;
			}

	copybuf_puts(b, "<table id=\"collection-progress\">\n<thead><tr><th>พื้นที่ <span class=\"en\">Area</span></th>");
	for (int c = 0; c < ncols; c++)
	{
		const char *th,
				   *en;

		if (skip[c])
			continue;
		progress_label(PQfname(res, c), &th, &en);
		copybuf_puts(b, "<th class=\"n\">");
		th_en(b, th, en);
		copybuf_puts(b, "</th>");
	}
	copybuf_puts(b, "</tr></thead>\n<tbody>\n");
	for (int i = 0; i < n; i++)
	{
		int			r = order[i];

		row_open(b, p, res, r);
		area_cell(b, p, res, r);
		for (int c = 0; c < ncols; c++)
		{
			if (skip[c])
				continue;
			copybuf_puts(b, "<td class=\"n\" data-col=\"");
			pk_html(b, PQfname(res, c));
			copybuf_puts(b, "\">");
			pk_html_num(b, PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c));
			copybuf_puts(b, "</td>");
		}
		copybuf_puts(b, "</tr>\n");
	}
	table_close(b);
	if (n > 1 && pct_col >= 0)
	{
		pk_chart	c = {"% of target collected by sub-area", 0, 100, "100%", "%", false};

		heading(b, "h3", "ร้อยละของเป้าหมายรายพื้นที่ย่อย ตามอันดับ", "% of target by sub-area, by rank");
		sub_chart(b, p, res, PQfname(res, pct_col), &c, order + 1);
	}
	free(order);
	copybuf_puts(b, "</section>\n");
}

static void
section_confidence(copybuf *b, const pk_packet *p)
{
	static const colspec cs[] = {
		{"area_code", "พื้นที่", "Area", 'A'},
		{"households", "ครัวเรือน", "Households", 'n'},
		{"households_with_findings", "ครัวเรือนที่มีข้อสังเกต", "Households with findings", 'n'},
		{"open_errors", "ข้อผิดพลาดที่เปิดอยู่", "Open errors", 'n'},
		{"confidence_pct", "ความเชื่อมั่น (%)", "Confidence (%)", 'n'},
		{"certifiable", "รับรองได้", "Certifiable", 'b'},
	};
	static const colspec cert[] = {
		{"area_code", "พื้นที่", "Area", 'A'},
		{"decision", "มติ", "Decision", 't'},
		{"certified", "รับรองอยู่", "Certified now", 'b'},
		{"stale", "มีข้อมูลใหม่หลังมติ", "Data changed since", 'b'},
		{"decided_by", "โดย", "By", 't'},
		{"decided_at", "เมื่อ", "When", 't'},
		{"note", "หมายเหตุ", "Note", 't'},
	};
	copybuf		th = {0},
				en = {0};

	section_open(b, "s-confidence", true, 8, "ความเชื่อมั่นของข้อมูลและสถานะการรับรอง",
				 "Confidence and certification status");
	copybuf_printf(&th, "ความเชื่อมั่น = ร้อยละของครัวเรือนที่ไม่มีข้อสังเกตระดับผิดพลาดหรือต้องทบทวนที่ยังเปิดอยู่; "
				   "รับรองได้เมื่อความเชื่อมั่นอย่างน้อย %s%% และไม่มีข้อผิดพลาดที่เปิดอยู่ (bmn.confidence)",
				   p->confidence_min_pct ? p->confidence_min_pct : "95");
	copybuf_printf(&en, "Confidence: %% of households without an open error or warning finding; "
				   "certifiable at %s%% or more and no open error (bmn.confidence).",
				   p->confidence_min_pct ? p->confidence_min_pct : "95");
	note(b, th.data, en.data);
	table_rows(b, p, p->t[PK_CONFIDENCE].res, "confidence", cs, NCOLS(cs), 0, -1);
	if (n_subs(p) > 0)
	{
		pk_chart	c = {"Confidence by sub-area", 100, NAN, NULL, "%", false};
		copybuf		lbl = {0};

		c.ref = num(p->confidence_min_pct);
		copybuf_printf(&lbl, "%s%%", p->confidence_min_pct ? p->confidence_min_pct : "");
		c.ref_label = lbl.data;
		heading(b, "h3", "ความเชื่อมั่นรายพื้นที่ย่อย (%)", "Confidence by sub-area (%)");
		sub_chart(b, p, p->t[PK_CONFIDENCE].res, "confidence_pct", &c, NULL);
		copybuf_free(&lbl);
	}
	heading(b, "h3", "สถานะการรับรอง", "Certification status (bmn.certification_status)");
	if (rows(p->t[PK_CERTIFICATION].res) == 0)
		note(b, "ยังไม่มีมติของคณะทำงานสำหรับพื้นที่นี้ในปีนี้",
			 "No committee decision is recorded for this area and round yet.");
	else
		table_rows(b, p, p->t[PK_CERTIFICATION].res, "certification", cert, NCOLS(cert), 0, -1);
	copybuf_free(&th);
	copybuf_free(&en);
	copybuf_puts(b, "</section>\n");
}

static void
section_sample(copybuf *b, const pk_packet *p)
{
	static const colspec cs[] = {
		{"sample_no", "ลำดับ", "No.", 'n'},
		{"household_id", "รหัสครัวเรือน", "Household", 'c'},
		{"village_code", "หมู่บ้าน", "Village", 'c'},
		{"village_name_th", "ชื่อหมู่บ้าน", "Village name", 't'},
		{"house_no", "บ้านเลขที่", "House no.", 't'},
		{"head_name", "หัวหน้าครัวเรือน", "Head of household", 't'},
		{"collector_id", "ผู้จัดเก็บ", "Collector", 'c'},
		{"interview_date", "วันที่สัมภาษณ์", "Interviewed", 't'},
	};
	const pk_table *t = &p->t[PK_SAMPLE];
	copybuf		th = {0},
				en = {0};

	section_open(b, "s-sample", true, 9, "ครัวเรือนตัวอย่างสำหรับสัมภาษณ์ซ้ำ", "Review sample for re-interview");
	if (t->res == NULL)
	{
		note(b, t->note_th, t->note);
		copybuf_puts(b, "</section>\n");
		return;
	}
	copybuf_printf(&th, "สุ่ม %d ครัวเรือนด้วย bmn.review_sample (seed %d): seed เดิมได้ครัวเรือนชุดเดิม",
				   p->sample, p->seed);
	copybuf_printf(&en, "%d households drawn by bmn.review_sample (seed %d): the same seed draws "
				   "the same households.", p->sample, p->seed);
	note(b, th.data, en.data);
	table_open(b, "review-sample", cs, NCOLS(cs));
	for (int r = 0; r < rows(t->res); r++)
	{
		copybuf_puts(b, "<tr>");
		for (int i = 0; i < NCOLS(cs); i++)
			cell(b, p, t->res, r, &cs[i]);
		copybuf_puts(b, "</tr>\n");
	}
	table_close(b);
	copybuf_puts(b, "<p>ผลการสัมภาษณ์ซ้ำ <span class=\"en\">Re-interview result</span>: ตรงกัน "
				 "<span class=\"en\">matches</span> <span class=\"box\"></span> ครัวเรือน "
				 "<span class=\"line short\"></span> ไม่ตรงกัน <span class=\"en\">differs</span> "
				 "<span class=\"box\"></span> ครัวเรือน <span class=\"line short\"></span></p>\n");
	copybuf_free(&th);
	copybuf_free(&en);
	copybuf_puts(b, "</section>\n");
}

static void
signer(copybuf *b, const char *th, const char *en)
{
	copybuf_puts(b, "<div class=\"signer\"><p class=\"role\">");
	th_en(b, th, en);
	copybuf_puts(b, "</p><p>ลงชื่อ <span class=\"en\">Signature</span> <span class=\"line\"></span></p>"
				 "<p>( <span class=\"line\"></span> )</p>"
				 "<p>ตำแหน่ง <span class=\"en\">Position</span> <span class=\"line\"></span></p>"
				 "<p>วันที่ <span class=\"en\">Date</span> <span class=\"line short\"></span> / "
				 "<span class=\"line short\"></span> / <span class=\"line short\"></span></p></div>\n");
}

static void
section_signatures(copybuf *b, const pk_packet *p)
{
	copybuf		t = {0};

	section_open(b, "s-signatures", true, 10, "การรับรองข้อมูลของคณะทำงาน", "Committee certification");
	pk_area_title_th(&t, p->level, p->area_code, p->name_th);
	copybuf_puts(b, "<p>คณะทำงานบริหารการจัดเก็บข้อมูล จปฐ. ได้ตรวจสอบข้อมูลของ");
	pk_html(b, t.data);
	copybuf_printf(b, " ปี %d ตามเอกสารนี้แล้ว และมีมติ<br><span class=\"en\">The BMN data collection "
				   "committee has checked the data of this packet and decides:</span></p>\n", p->year);
	copybuf_puts(b, "<p class=\"decision\"><span class=\"box\"></span> รับรองข้อมูล <span class=\"en\">certify "
				 "the data</span><br><span class=\"box\"></span> ส่งคืนเพื่อแก้ไข <span class=\"en\">return "
				 "it for correction</span>: <span class=\"line long\"></span></p>\n"
				 "<p>ประชุมเมื่อวันที่ <span class=\"en\">Meeting date</span> <span class=\"line\"></span> "
				 "ณ <span class=\"en\">at</span> <span class=\"line\"></span></p>\n<div class=\"sign\">\n");
	signer(b, "ประธานคณะทำงาน", "Chair");
	for (int i = 0; i < 4; i++)
		signer(b, "คณะทำงาน", "Member");
	signer(b, "คณะทำงานและเลขานุการ", "Member and secretary");
	copybuf_puts(b, "</div>\n</section>\n");
	copybuf_free(&t);
}

static void
style(copybuf *b, const pk_packet *p)
{
	copybuf_puts(b,
				 "<style>\n"
				 "@page { size: A4; margin: 14mm 12mm 16mm 12mm;\n"
				 "  @bottom-left { content: \"");
	{
		copybuf		t = {0};

		copybuf_printf(&t, "จปฐ. %d · ", p->year);
		pk_area_title_th(&t, p->level, p->area_code, p->name_th);
		copybuf_printf(&t, " (%s)", p->area_code);
		pk_css_string(b, t.data);
		copybuf_free(&t);
	}
	copybuf_puts(b,
				 "\"; font-size: 8pt; color: #555 }\n"
				 "  @bottom-right { content: counter(page) \" / \" counter(pages); font-size: 8pt; color: #555 } }\n"
				 "* { box-sizing: border-box }\n"
				 "html { -webkit-print-color-adjust: exact; print-color-adjust: exact }\n"
				 "body { font-family: \"Noto Sans Thai\", \"Sarabun\", \"TH Sarabun New\", \"Leelawadee UI\", "
				 "\"Tahoma\", \"Noto Sans\", \"DejaVu Sans\", sans-serif; font-size: 9.5pt; line-height: 1.45; "
				 "color: #111; background: #fff; margin: 0 }\n"
				 "@media screen { body { max-width: 190mm; margin: 0 auto; padding: 8mm 6mm }\n"
				 "  section.page { border-top: 1px dashed #bbb; margin-top: 10mm; padding-top: 6mm } }\n"
				 "section.page { break-before: page; page-break-before: always }\n"
				 "h1 { font-size: 17pt; line-height: 1.3; margin: 1mm 0 3mm; color: #1f4e79 }\n"
				 "h1 .en { display: block; font-size: 11.5pt; font-weight: 400 }\n"
				 "h2 { font-size: 13pt; margin: 0 0 3mm; padding-bottom: 1mm; color: #1f4e79; "
				 "border-bottom: 0.6mm solid #1f4e79; break-after: avoid }\n"
				 "h3 { font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid }\n"
				 ".en { color: #555; font-size: 0.88em }\n"
				 "th .en, td.area .en, td[data-col=name] .en { display: block }\n"
				 ".kicker { margin: 0; color: #555 }\n"
				 ".area-title { font-size: 13pt; margin: 0 0 2mm }\n"
				 ".meta { margin: 0 0 3mm; color: #333 }\n"
				 ".summary { display: grid; grid-template-columns: repeat(4, 1fr); gap: 2mm; margin: 3mm 0 4mm }\n"
				 ".summary div { border: 0.3mm solid #b8c4d0; border-radius: 1.5mm; padding: 1.5mm 2mm; "
				 "background: #f7f9fb }\n"
				 ".summary .v { display: block; font-size: 14pt; font-weight: 700; color: #1f4e79 }\n"
				 ".toc ol { margin: 1mm 0 4mm; padding-left: 6mm; columns: 2; column-gap: 14mm }\n"
				 ".toc li { break-inside: avoid }\n"
				 ".toc a { color: inherit; text-decoration: none }\n"
				 "table { border-collapse: collapse; width: 100%; margin: 1.5mm 0 4mm; font-size: 8.2pt }\n"
				 "thead { display: table-header-group }\n"
				 "tr { break-inside: avoid; page-break-inside: avoid }\n"
				 "th { background: #e8eef5; font-weight: 600; text-align: left; vertical-align: bottom; "
				 "padding: 1mm 1.4mm; border: 0.3mm solid #b8c4d0 }\n"
				 "td { padding: 0.7mm 1.4mm; border: 0.3mm solid #d0d7de; vertical-align: top }\n"
				 "td.n, th.n { text-align: right; font-variant-numeric: tabular-nums }\n"
				 "td.n { white-space: nowrap }\n"
				 "td.area { min-width: 22mm }\n"
				 "td[data-col=name] { min-width: 50mm }\n"
				 "tr.total td, td.total { font-weight: 700; background: #f1f4f7 }\n"
				 "tr.group td { background: #f6f6ef; font-weight: 600 }\n"
				 ".code { font-family: \"DejaVu Sans Mono\", \"Consolas\", monospace; font-size: 0.9em }\n"
				 "table.matrix { font-size: 7.6pt }\n"
				 ".sev-error { color: #b71c1c; font-weight: 700 }\n"
				 ".sev-warning { color: #a04000 }\n"
				 ".note { color: #444; font-style: italic; margin: 1mm 0 2mm }\n"
				 "svg.chart { display: block; max-width: 100%; height: auto; margin: 1mm 0 3mm }\n"
				 "svg.chart text { font-size: 10px; fill: #222 }\n"
				 "svg.chart .tick { font-size: 8.5px; fill: #666 }\n"
				 "svg.chart .bar { fill: #2e7d5b }\n"
				 "svg.chart .rest { fill: #f0b3ae }\n"
				 "svg.chart .grid { stroke: #e2e2e2; stroke-width: 0.6 }\n"
				 "svg.chart .ref { stroke: #c62828; stroke-width: 1.2; stroke-dasharray: 4 3 }\n"
				 "svg.chart .reflabel { font-size: 9px; fill: #c62828 }\n"
				 ".box { display: inline-block; width: 3.6mm; height: 3.6mm; border: 0.3mm solid #222; "
				 "vertical-align: middle; margin: 0 1mm }\n"
				 ".line { display: inline-block; min-width: 45mm; border-bottom: 0.3mm dotted #222; height: 4mm }\n"
				 ".line.short { min-width: 12mm }\n"
				 ".line.long { min-width: 110mm }\n"
				 ".decision { line-height: 2.2 }\n"
				 ".sign { display: grid; grid-template-columns: 1fr 1fr; gap: 8mm 12mm; margin-top: 8mm }\n"
				 ".signer { break-inside: avoid; page-break-inside: avoid }\n"
				 ".signer p { margin: 0 0 2.5mm }\n"
				 ".signer .role { font-weight: 700 }\n"
				 "</style>\n");
}

void
pk_html_page(copybuf *b, const pk_packet *p, const pk_stamp *when)
{
	copybuf		t = {0};

	copybuf_puts(b, "<!DOCTYPE html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n"
				 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
				 "style-src 'unsafe-inline'\">\n"
				 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
				 "<meta name=\"generator\" content=\"bmn report\">\n<title>");
	copybuf_printf(&t, "จปฐ. %d ", p->year);
	pk_area_title_th(&t, p->level, p->area_code, p->name_th);
	copybuf_printf(&t, " — BMN %d ", p->year);
	pk_area_title_en(&t, p->level, p->area_code, p->name_en);
	pk_html(b, t.data);
	copybuf_free(&t);
	copybuf_puts(b, "</title>\n");
	style(b, p);
	copybuf_puts(b, "</head>\n<body>\n");
	cover(b, p, when);
	section_population(b, p);
	section_indicators(b, p);
	section_indicators_sub(b, p);
	section_income(b, p);
	section_low_income(b, p);
	section_findings(b, p);
	section_progress(b, p);
	section_confidence(b, p);
	section_sample(b, p);
	section_signatures(b, p);
	copybuf_puts(b, "</body>\n</html>\n");
}
