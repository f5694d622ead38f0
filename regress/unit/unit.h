/*
 * unit.h: a minimal unit-test harness for the pure C (common/ and etl/).
 *
 * UNIT_TEST(name) { ... } defines a test that registers itself; no central list to
 * edit. EXPECT* record a failure and carry on, so one run shows every broken case.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

typedef void (*unit_fn) (void);
void		unit_register(const char *name, unit_fn fn);
void		unit_fail(const char *file, int line, const char *what);

#define UNIT_TEST(name) \
	static void unit_##name(void); \
	__attribute__((constructor)) static void unit_reg_##name(void) \
	{ unit_register(#name, unit_##name); } \
	static void unit_##name(void)

#define EXPECT(cond) \
	do { if (!(cond)) unit_fail(__FILE__, __LINE__, #cond); } while (0)

#define EXPECT_INT(a, b) \
	do { long long a_ = (long long) (a), b_ = (long long) (b); \
		if (a_ != b_) { char m_[256]; \
			snprintf(m_, sizeof m_, "%s == %s (%lld != %lld)", #a, #b, a_, b_); \
			unit_fail(__FILE__, __LINE__, m_); } } while (0)

#define EXPECT_STR(a, b) \
	do { const char *a_ = (a), *b_ = (b); \
		if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) { char m_[512]; \
			snprintf(m_, sizeof m_, "%.80s == %.80s (\"%.160s\" != \"%.160s\")", #a, #b, \
					 a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
			unit_fail(__FILE__, __LINE__, m_); } } while (0)

#endif
