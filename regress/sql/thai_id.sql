-- bmn.thai_id_valid: the check digit rule of domain.md.
SELECT id, bmn.thai_id_valid(id) AS valid
  FROM (VALUES
    ('3100600445635'),        -- valid (domain.md)
    ('1103702488992'),        -- valid (domain.md)
    ('1-1037-02488-99-2'),    -- valid, dashes as formats.md writes them
    ('1 1037 02488 99 2'),    -- valid, spaces
    ('๑๑๐๓๗๐๒๔๘๘๙๙๒'),        -- valid, Thai digits
    ('1103702488993'),        -- wrong check digit
    ('3100600445630'),        -- wrong check digit
    ('110370248899'),         -- 12 digits
    ('11037024889921'),       -- 14 digits
    ('1103702488a92'),        -- a letter
    ('-1103702488992'),       -- leading dash
    ('1103702488992-'),       -- trailing dash
    (''),
    ('0000000000000')         -- all zeros: sum 0, check digit would be 1
  ) v(id);
SELECT bmn.thai_id_valid(NULL) IS NULL AS null_in_null_out;
-- Every check digit from 0 to 9 is reachable, and exactly one is right per body.
SELECT count(*) FILTER (WHERE bmn.thai_id_valid('110370248899' || d)) AS right_digits
  FROM generate_series(0, 9) d;
