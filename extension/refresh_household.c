/*
 * refresh_household.c: scoring and checking one household, into a record of bytes
 * (HouseholdRecord in refresh.h).
 *
 * This is the work of the scan that needs nothing but the household and its
 * members: the rules, the household and member checks with their details, the
 * registry look-ups, and the keys a correction compares. It writes nothing, so
 * a parallel worker does it as well as the refreshing backend; the record is what
 * crosses between them, and the one path by which results reach the tables
 * (household_apply, refresh_write.c), with or without workers.
 */
#include "postgres.h"

#include "common/hashfn.h"

#include "refresh.h"

/* The 64-bit finaliser of MurmurHash3, folded into h. */
static uint64
mix(uint64 h, uint64 v)
{
	v ^= v >> 33;
	v *= UINT64CONST(0xff51afd7ed558ccd);
	v ^= v >> 33;
	v *= UINT64CONST(0xc4ceb9fe1a85ec53);
	v ^= v >> 33;
	return hash_combine64(h, v);
}

/*
 * What the set-based checks read of a household, as two hashes (see
 * household_score): its collector, day, village and position; its members'
 * national IDs. A correction whose hash is unchanged cannot change those checks.
 */
static void
check_keys(const HouseholdRow *h, const BmnMemberFacts *members, int n_members,
		   HouseholdRecord *rec, int64 *ids_out)
{
	uint64		spot = hash_bytes_extended((const unsigned char *) VARDATA_ANY(h->collector_id),
										   VARSIZE_ANY_EXHDR(h->collector_id), 0);
	uint64		ids = 0;

	spot = mix(spot, (uint64) (uint32) h->interview_date);
	spot = mix(spot, (uint64) (uint32) h->facts.village);
	if (h->facts.has_position)
	{
		uint64		lat,
					lon;

		memcpy(&lat, &h->facts.latitude, sizeof lat);
		memcpy(&lon, &h->facts.longitude, sizeof lon);
		spot = mix(mix(spot, lat), lon);
	}
	for (int i = 0; i < n_members; i++)
	{
		int64		id;

		if (members[i].national_id[0] == '\0')
			continue;
		if (!digits_value(members[i].national_id, 13, &id))
			id = -1;
		ids = mix(mix(ids, (uint64) members[i].member_no), (uint64) id);
		ids_out[rec->n_ids++] = id;
	}
	rec->spot_key = (int64) spot;
	rec->ids_key = (int64) ids;
}

static int32
text_length(const text *t)
{
	return t ? (int32) VARSIZE_ANY_EXHDR(t) : -1;
}

static char *
put(char *p, const void *data, size_t len)
{
	memcpy(p, data, len);
	return p + len;
}

/*
 * Score and check one household; its record is appended to out. details is
 * scratch space for the findings' details. members may be changed (the registry's
 * answers are filled in).
 */
void
household_encode(const Refresh *r, const HouseholdRow *h, BmnMemberFacts *members,
				 int n_members, StringInfo out, StringInfo details)
{
	HouseholdRecord rec;
	BmnFinding	found[BMN_MAX_FINDINGS];
	HouseholdRow checked = *h;
	int			start = out->len;
	int			n_found;
	size_t		size;
	char	   *p;
	int64		ids_stack[16];
	int64	   *ids = n_members <= 16 ? ids_stack : palloc(sizeof(int64) * n_members);

	memset(&rec, 0, sizeof rec);
	rec.scored = r->mode != SCAN_REGISTRY;
	if (rec.scored)
	{
		check_keys(h, members, n_members, &rec, ids);
		bmn_score_household(&r->rules, &h->facts, members, n_members, &rec.score);
	}
	if (r->registry)
		registry_lookup(r, h, &checked.facts, members, n_members);
	n_found = Min(bmn_check_household(&r->settings, &r->rules, rec.scored ? &rec.score : NULL,
									  &checked.facts, members, n_members, found,
									  BMN_MAX_FINDINGS), BMN_MAX_FINDINGS);

	rec.interview_date = h->interview_date;
	rec.batch_id = h->batch_id;
	rec.latitude = h->facts.latitude;
	rec.longitude = h->facts.longitude;
	rec.has_position = h->facts.has_position;
	rec.village = h->facts.village;
	rec.persons = n_members;
	rec.n_findings = n_found;
	rec.len_id = text_length(h->household_id);
	rec.len_village = text_length(h->village_code);
	rec.len_lao = text_length(h->lao_code);
	rec.len_collector = text_length(h->collector_id);

	/* the fixed part and the texts, then the national IDs, written in one piece */
	size = sizeof rec + rec.len_id + rec.len_village + Max(rec.len_lao, 0) +
		rec.len_collector;
	size += (size_t) rec.n_ids * sizeof(int64);
	enlargeStringInfo(out, (int) size);
	p = out->data + out->len + sizeof rec;
	p = put(p, VARDATA_ANY(h->household_id), rec.len_id);
	p = put(p, VARDATA_ANY(h->village_code), rec.len_village);
	if (rec.len_lao > 0)
		p = put(p, VARDATA_ANY(h->lao_code), rec.len_lao);
	p = put(p, VARDATA_ANY(h->collector_id), rec.len_collector);
	/* the national IDs as numbers, for the checks over many households */
	p = put(p, ids, rec.n_ids * sizeof(int64));
	out->len = (int) (p - out->data);
	if (ids != ids_stack)
		pfree(ids);
	for (int i = 0; i < n_found; i++)
	{
		const char *d = finding_details(details, &found[i], &checked, members, n_members);
		RecordFinding f;

		memset(&f, 0, sizeof f);
		f.check = (int16) found[i].check;
		f.member_no = (int16) found[i].member_no;
		f.of_member = found[i].member_index >= 0;
		f.len_details = details->len + 1;
		Assert(d == details->data);
		appendBinaryStringInfo(out, (const char *) &f, sizeof f);
		appendBinaryStringInfo(out, d, f.len_details);
	}
	rec.size = out->len - start;
	memcpy(out->data + start, &rec, sizeof rec);
	out->data[out->len] = '\0';
}
