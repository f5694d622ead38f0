/*
 * probe.c: hashing and encoding check of an input file (see probe.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "field.h"
#include "probe.h"

#define PROBE_CHUNK (256 * 1024)

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

bool
probe_file(const char *path, probe_result *out, char *err, size_t errsz)
{
	static unsigned char buf[PROBE_CHUNK];
	FILE	   *f = fopen(path, "rb");
	EVP_MD_CTX *md;
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned	dlen = 0;
	unsigned	utf8_state = 0;
	unsigned long line = 1;
	bool		first_seen = false,
				start = true;
	size_t		n;

	memset(out, 0, sizeof *out);
	out->utf8 = true;
	out->empty = true;
	if (f == NULL)
	{
		snprintf(err, errsz, "cannot open: %s", strerror(errno));
		return false;
	}
	md = EVP_MD_CTX_new();
	if (md == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
	{
		snprintf(err, errsz, "cannot compute SHA-256");
		EVP_MD_CTX_free(md);
		fclose(f);
		return false;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
	{
		const unsigned char *p = buf;
		size_t		len = n;

		EVP_DigestUpdate(md, buf, n);
		out->bytes += n;
		if (start && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
			p += 3, len -= 3;
		start = false;
		if (!first_seen)
		{
			for (size_t i = 0; i < len; i++)
			{
				if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')
					continue;
				first_seen = true;
				out->empty = false;
				out->xml = (p[i] == '<');
				break;
			}
		}
		if (out->utf8)
		{
			size_t		bad;

			if (!field_utf8_feed(&utf8_state, p, len, &bad))
			{
				out->utf8 = false;
				for (size_t i = 0; i < bad; i++)
					line += (p[i] == '\n');
				out->bad_line = line;
			}
			else
				for (size_t i = 0; i < len; i++)
					line += (p[i] == '\n');
		}
	}
	if (ferror(f))
	{
		snprintf(err, errsz, "cannot read: %s", strerror(errno));
		EVP_MD_CTX_free(md);
		fclose(f);
		return false;
	}
	fclose(f);
	if (out->utf8 && utf8_state != 0)
	{
		out->utf8 = false;
		out->bad_line = line;
	}
	EVP_DigestFinal_ex(md, digest, &dlen);
	EVP_MD_CTX_free(md);
	to_hex(digest, dlen, out->sha256);
	return true;
}

void
probe_sha256_text(const char *text, char out[65])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned	dlen = 0;

	EVP_Digest(text, strlen(text), digest, &dlen, EVP_sha256(), NULL);
	to_hex(digest, dlen, out);
}
