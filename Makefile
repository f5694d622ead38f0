# bmn: PostgreSQL extension (extension/, sql/) and command-line program (etl/).
#
# The two set-up commands, `make demo` and `make test`, work on a fresh Debian 12
# machine: they install the Debian packages that are missing (scripts/ensure-deps),
# then call make again so that PGXS, which comes with those packages, is read.

EXTENSION   = bmn
EXTVERSION  = 0.1
MODULE_big  = bmn
PG_CONFIG  ?= pg_config

# Pure C shared by the extension and the program: no I/O, no server calls.
COMMON_SRCS = $(sort $(wildcard common/*.c))
EXT_SRCS    = $(sort $(wildcard extension/*.c))
OBJS        = $(EXT_SRCS:.c=.o) $(COMMON_SRCS:.c=.o)

# One install script until 1.0, assembled from sql/*.sql in name order.
SQL_PARTS   = $(sort $(wildcard sql/[0-9]*.sql))
DATA_built  = sql/$(EXTENSION)--$(EXTVERSION).sql

REGRESS      = $(patsubst regress/sql/%.sql,%,$(sort $(wildcard regress/sql/*.sql)))
REGRESS_OPTS = --inputdir=regress --outputdir=regress/out --load-extension=$(EXTENSION)

PG_CFLAGS   = -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter \
              -Wno-missing-field-initializers -Icommon
EXTRA_CLEAN = regress/out etl/bmn etl/*.o regress/unit/*.o regress/unit/run_unit \
              sql/$(EXTENSION)--$(EXTVERSION).sql

# Bitcode for JIT would need clang at build time; the module gains nothing from it.
override with_llvm = no

PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
# Without PGXS (a fresh machine) only the set-up targets below can run.
.DEFAULT_GOAL := help
endif

.PHONY: help demo test bench fuzz sqlsmith deps program unit install-program

help:
	@echo "make demo   install what is missing, build, and run the demo on a throwaway cluster"
	@echo "make test   install what is missing, build, and run every test suite"
	@echo "make bench  benchmarks (loading, refresh); SCALE=national for the national year"
	@echo "make fuzz   libFuzzer over every parser of untrusted bytes (FUZZ_SECONDS each)"
	@echo "make sqlsmith  random SQL against a loaded database; no backend may crash"
	@echo "make sanitize  unit and program tests with ASan+UBSan builds (build/sanitize/)"
	@echo "make valgrind  the SQL tests with the server under valgrind memcheck"

# PGXS does not track headers: rebuild the module when any of ours changes.
$(OBJS): $(wildcard extension/*.h common/*.h)

sql/$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS)
	cat $^ > $@

# ---- the program `bmn` (etl/) ------------------------------------------------
ETL_SRCS     = $(sort $(wildcard etl/*.c))
ETL_OBJS     = $(ETL_SRCS:.c=.o)
ETL_COMMON   = $(COMMON_SRCS:common/%.c=etl/common_%.o)
ETL_CC      ?= gcc
ETL_CFLAGS   = -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Icommon -Ietl \
               -I$(shell $(PG_CONFIG) --includedir) $(shell xml2-config --cflags 2>/dev/null) \
               -DBMN_VERSION='"$(EXTVERSION)"'
ETL_LIBS     = -L$(shell $(PG_CONFIG) --libdir) -lpq -lcsv \
               $(shell xml2-config --libs 2>/dev/null) -lcrypto -lm

program: etl/bmn

etl/%.o: etl/%.c $(wildcard etl/*.h common/*.h)
	$(ETL_CC) $(ETL_CFLAGS) -c -o $@ $<

etl/common_%.o: common/%.c $(wildcard common/*.h)
	$(ETL_CC) $(ETL_CFLAGS) -c -o $@ $<

etl/bmn: $(ETL_OBJS) $(ETL_COMMON)
	$(ETL_CC) -o $@ $^ $(ETL_LIBS)

all: etl/bmn

install: install-program
install-program: etl/bmn
	install -d '$(DESTDIR)$(bindir)' '$(DESTDIR)/usr/local/bin'
	install -m 755 etl/bmn '$(DESTDIR)$(bindir)/bmn'
	ln -sf '$(bindir)/bmn' '$(DESTDIR)/usr/local/bin/bmn'

# ---- unit tests of the pure C (no server) --------------------------------------
UNIT_SRCS = $(sort $(wildcard regress/unit/*.c))
ETL_LIB_OBJS = $(filter-out etl/main.o,$(ETL_OBJS))

regress/unit/run_unit: $(UNIT_SRCS) $(ETL_LIB_OBJS) $(ETL_COMMON) $(wildcard regress/unit/*.h)
	$(ETL_CC) $(ETL_CFLAGS) -o $@ $(UNIT_SRCS) $(ETL_LIB_OBJS) $(ETL_COMMON) $(ETL_LIBS)

unit: regress/unit/run_unit
	regress/unit/run_unit

# ---- sanitizer and valgrind runs (not part of `make test`: they take longer) --------
# make sanitize: the program and the unit tests built with AddressSanitizer and
# UndefinedBehaviorSanitizer into build/sanitize/ (the normal objects stay as they are),
# then the unit tests and the program tests run with them (scripts/sanitize). Any
# sanitizer report fails the target. SAN_CC=clang builds with clang instead of gcc,
# into build/sanitize-clang/.
SAN_CC     ?= $(ETL_CC)
SAN_DIR     = build/sanitize$(if $(findstring clang,$(SAN_CC)),-clang)
SAN_FLAGS   = -fsanitize=address,undefined -fno-sanitize-recover=all \
              -fno-omit-frame-pointer -g -O1
SAN_CFLAGS  = $(ETL_CFLAGS) $(SAN_FLAGS)
# gcc links libasan and libubsan as two shared libraries, and then UBSan ignores
# log_path (its reports would go to stderr only, where a test expecting a failure
# would not notice them): its runtime is linked in statically. clang does so anyway.
SAN_LDFLAGS = $(SAN_FLAGS) $(if $(findstring clang,$(shell $(SAN_CC) --version 2>/dev/null | head -1)),,-static-libubsan)
SAN_ETL     = $(ETL_SRCS:etl/%.c=$(SAN_DIR)/etl/%.o)
SAN_COMMON  = $(COMMON_SRCS:common/%.c=$(SAN_DIR)/common/%.o)
SAN_UNIT    = $(UNIT_SRCS:regress/unit/%.c=$(SAN_DIR)/unit/%.o)

$(SAN_DIR)/etl/%.o: etl/%.c $(wildcard etl/*.h common/*.h)
	@mkdir -p $(@D)
	$(SAN_CC) $(SAN_CFLAGS) -c -o $@ $<

$(SAN_DIR)/common/%.o: common/%.c $(wildcard common/*.h)
	@mkdir -p $(@D)
	$(SAN_CC) $(SAN_CFLAGS) -c -o $@ $<

$(SAN_DIR)/unit/%.o: regress/unit/%.c $(wildcard regress/unit/*.h etl/*.h common/*.h)
	@mkdir -p $(@D)
	$(SAN_CC) $(SAN_CFLAGS) -c -o $@ $<

$(SAN_DIR)/bmn: $(SAN_ETL) $(SAN_COMMON)
	$(SAN_CC) $(SAN_LDFLAGS) -o $@ $^ $(ETL_LIBS)

$(SAN_DIR)/run_unit: $(SAN_UNIT) $(filter-out $(SAN_DIR)/etl/main.o,$(SAN_ETL)) $(SAN_COMMON)
	$(SAN_CC) $(SAN_LDFLAGS) -o $@ $^ $(ETL_LIBS)

# make valgrind: pg_regress (regress/sql) against a throwaway cluster whose postgres
# runs under valgrind memcheck (scripts/valgrind); fails on any error whose stack is in
# bmn.so. VALGRIND_TESTS="a b" runs only those tests of regress/sql.
VALGRIND_TESTS ?=

.PHONY: sanitize valgrind
sanitize: deps
	scripts/ensure-deps $(if $(findstring clang,$(SAN_CC)),clang libclang-rt-14-dev,libasan8 libubsan1)
	$(MAKE) all
	$(MAKE) install
	$(MAKE) SAN_CC=$(SAN_CC) SAN_DIR=$(SAN_DIR) $(SAN_DIR)/bmn $(SAN_DIR)/run_unit
	SAN_DIR=$(SAN_DIR) scripts/sanitize

valgrind: deps
	scripts/ensure-deps valgrind
	$(MAKE) all
	$(MAKE) install
	VALGRIND_TESTS="$(VALGRIND_TESTS)" scripts/valgrind

# ---- the set-up commands ---------------------------------------------------------
deps:
	scripts/ensure-deps

demo: deps
	$(MAKE) all
	$(MAKE) install
	scripts/demo

test: deps
	$(MAKE) all regress/unit/run_unit
	$(MAKE) install
	scripts/run-tests

bench: deps
	$(MAKE) all
	$(MAKE) install
	scripts/bench $(SCALE)

fuzz: deps
	scripts/ensure-deps clang libclang-rt-14-dev
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),30) scripts/fuzz

sqlsmith: deps
	$(MAKE) all
	$(MAKE) install
	command -v sqlsmith >/dev/null || scripts/ensure-deps sqlsmith
	scripts/sqlsmith
