/*
 * generate_out.c: opening, flushing and closing the output files of `bmn generate`.
 */
#include <errno.h>
#include <stdlib.h>

#include "generate_out.h"

bool
gen_out_open(gen_out *o, const char *dir, const char *name)
{
	size_t		n = strlen(dir) + strlen(name) + 2;

	memset(o, 0, sizeof *o);
	o->path = malloc(n);
	o->buf = malloc(GEN_OUT_BUFSIZE);
	if (o->path == NULL || o->buf == NULL)
	{
		fprintf(stderr, "bmn generate: out of memory\n");
		return false;
	}
	snprintf(o->path, n, "%s/%s", dir, name);
	o->f = fopen(o->path, "wb");
	if (o->f == NULL)
	{
		fprintf(stderr, "bmn generate: cannot create \"%s\": %s\n", o->path, strerror(errno));
		return false;
	}
	return true;
}

void
gen_out_flush(gen_out *o)
{
	if (o->len > 0 && !o->failed && fwrite(o->buf, 1, o->len, o->f) != o->len)
		o->failed = true;
	o->len = 0;
}

bool
gen_out_close(gen_out *o)
{
	bool		ok = true;

	if (o->f != NULL)
	{
		gen_out_flush(o);
		if (o->failed || ferror(o->f))
			ok = false;
		if (fclose(o->f) != 0)
			ok = false;
		if (!ok)
			fprintf(stderr, "bmn generate: could not write \"%s\": %s\n", o->path,
					errno ? strerror(errno) : "write error");
	}
	free(o->buf);
	free(o->path);
	memset(o, 0, sizeof *o);
	return ok;
}

void
gen_out_csv_field(gen_out *o, const char *s, char delim)
{
	if (strchr(s, delim) == NULL && strchr(s, '"') == NULL && strpbrk(s, "\r\n") == NULL)
	{
		gen_out_str(o, s);
		return;
	}
	gen_out_char(o, '"');
	for (const char *p = s; *p; p++)
	{
		if (*p == '"')
			gen_out_char(o, '"');
		gen_out_char(o, *p);
	}
	gen_out_char(o, '"');
}
