-- bmn: Basic Minimum Needs (จปฐ.) household data.
-- This install script is assembled from sql/[0-9]*.sql in name order (see Makefile).

\echo Use "CREATE EXTENSION bmn" to load this file. \quit
