/*
 * probe.c: hashing, encoding check and a look at the first bytes of an input file
 * (see probe.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "csvread.h"
#include "probe.h"
#include "textenc.h"

#define PROBE_CHUNK (256 * 1024)
/* What probe_head looks at. */
#define HEAD_BYTES (64 * 1024)

static void
to_hex(const unsigned char *md, unsigned n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (unsigned i = 0; i < n; i++)
	{
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Formats people send instead of text, by their first bytes. */
static const char *
magic(const unsigned char *s, size_t n)
{
	if (n >= 4 && memcmp(s, "PK\3\4", 4) == 0)
		return "a zip archive or an Excel workbook (.xlsx)";
	if (n >= 4 && memcmp(s, "\xD0\xCF\x11\xE0", 4) == 0)
		return "an Excel 97-2003 workbook (.xls)";
	if (n >= 4 && memcmp(s, "%PDF", 4) == 0)
		return "a PDF document";
	if (n >= 2 && (memcmp(s, "\xFF\xFE", 2) == 0 || memcmp(s, "\xFE\xFF", 2) == 0))
		return "UTF-16 text";
	if (n >= 2 && memcmp(s, "\x1F\x8B", 2) == 0)
		return "a gzip archive";
	return NULL;
}

/* The value of encoding="..." in an XML declaration at s. */
static void
xml_decl_encoding(const unsigned char *s, size_t n, char *out, size_t outsz)
{
	const char *end,
			   *p;
	char		decl[512];
	size_t		len;

	out[0] = '\0';
	if (n < 5 || memcmp(s, "<?xml", 5) != 0)
		return;
	end = memchr(s, '>', n < sizeof decl ? n : sizeof decl - 1);
	if (end == NULL)
		return;
	len = (size_t) (end - (const char *) s);
	memcpy(decl, s, len);
	decl[len] = '\0';
	p = strstr(decl, "encoding");
	if (p == NULL)
		return;
	p += 8;
	while (*p == ' ' || *p == '=')
		p++;
	if (*p != '"' && *p != '\'')
		return;
	{
		char		q = *p++;
		size_t		k = 0;

		while (*p && *p != q && k + 1 < outsz)
			out[k++] = *p++;
		out[k] = '\0';
	}
}

void
probe_head(const unsigned char *s, size_t n, probe_result *out)
{
	size_t		ctl = 0,
				i = 0;

	out->empty = true;
	out->xml = false;
	out->binary = NULL;
	out->delim = ',';
	out->xml_encoding[0] = '\0';
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3, n -= 3;
	if ((out->binary = magic(s, n)) != NULL)
	{
		out->empty = false;
		return;
	}
	/* Text has few control characters; NUL bytes in a field or two are its rows' affair. */
	for (size_t k = 0; k < n; k++)
		ctl += (s[k] < 0x20 && s[k] != '\t' && s[k] != '\n' && s[k] != '\r' && s[k] != '\f') ||
			s[k] == 0x7F;
	if (ctl > 8 && ctl * 20 > n)
	{
		out->empty = false;
		out->binary = "binary data";
		return;
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	if (i == n)
		return;
	out->empty = false;
	out->xml = s[i] == '<';
	if (out->xml)
		xml_decl_encoding(s + i, n - i, out->xml_encoding, sizeof out->xml_encoding);
	else
		out->delim = csvr_sniff_delimiter((const char *) s + i, n - i);
}

bool
probe_file(const char *path, probe_result *out, char *err, size_t errsz)
{
	unsigned char *buf = malloc(PROBE_CHUNK + 4);
	FILE	   *f = buf ? fopen(path, "rb") : NULL;
	EVP_MD_CTX *md;
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned	dlen = 0;
	size_t		carry = 0,
				n;
	bool		first = true;

	memset(out, 0, sizeof *out);
	out->utf8 = true;
	out->empty = true;
	out->lines = 1;
	out->delim = ',';
	if (f == NULL)
	{
		snprintf(err, errsz, buf ? "cannot open: %s" : "out of memory", strerror(errno));
		free(buf);
		return false;
	}
	md = EVP_MD_CTX_new();
	if (md == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
	{
		snprintf(err, errsz, "cannot compute SHA-256");
		EVP_MD_CTX_free(md);
		fclose(f);
		free(buf);
		return false;
	}
	/* buf[0..carry) holds the end of the last chunk: a UTF-8 sequence cut in two. */
	while ((n = fread(buf + carry, 1, PROBE_CHUNK, f)) > 0)
	{
		size_t		total = carry + n,
					whole;

		EVP_DigestUpdate(md, buf + carry, n);
		out->bytes += n;
		if (first)
			probe_head(buf, n < HEAD_BYTES ? n : HEAD_BYTES, out);
		first = false;
		for (const unsigned char *p = buf + carry; (p = memchr(p, '\n', (size_t) (buf + total - p))) != NULL; p++)
			out->lines++;
		if (!out->nul && memchr(buf + carry, 0, n) != NULL)
			out->nul = true;
		whole = textenc_utf8_cut(buf, total);
		{
			unsigned long long bad_before = out->utf8_bad;
			size_t		first_bad = 0;

			textenc_utf8_count(buf, whole, &out->utf8_seqs, &out->utf8_bad, &first_bad);
			if (bad_before == 0 && out->utf8_bad > 0)
			{
				/* Its line: the lines before this chunk, then those in it. */
				unsigned long l = out->lines;

				for (const unsigned char *p = buf + first_bad; p < buf + total; p++)
					l -= *p == '\n' && p >= buf + carry;
				out->bad_line = l;
				out->utf8 = false;
			}
		}
		carry = total - whole;
		memmove(buf, buf + whole, carry);
	}
	free(buf);
	if (ferror(f))
	{
		snprintf(err, errsz, "cannot read: %s", strerror(errno));
		EVP_MD_CTX_free(md);
		fclose(f);
		return false;
	}
	fclose(f);
	if (carry > 0)
	{
		/* The file ends inside a character. */
		if (out->utf8)
			out->bad_line = out->lines;
		out->utf8 = false;
		out->utf8_bad += carry;
	}
	EVP_DigestFinal_ex(md, digest, &dlen);
	EVP_MD_CTX_free(md);
	to_hex(digest, dlen, out->sha256);
	return true;
}

bool
probe_damaged_utf8(const probe_result *p)
{
	return !p->utf8 && p->utf8_seqs >= 16 && p->utf8_seqs > 8 * p->utf8_bad;
}

void
probe_sha256_text(const char *text, char out[65])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned	dlen = 0;

	EVP_Digest(text, strlen(text), digest, &dlen, EVP_sha256(), NULL);
	to_hex(digest, dlen, out);
}
