-- bmn.score: text form round trip and validation of bad input.
SELECT 'persons=3 thai=2 applicable=4,5,22 passed=4,22 members=16:1/1,20:2/1'::bmn.score;
SELECT 'persons=0 thai=0 applicable=- passed=- members=-'::bmn.score;
SELECT * FROM bmn.score_indicators('persons=3 thai=2 applicable=4,16,22 passed=4,16 members=16:1/1,20:0/0');
SELECT bmn.score_passed('persons=1 thai=1 applicable=22 passed=- members=-', 22) AS p22,
       bmn.score_passed('persons=1 thai=1 applicable=22 passed=- members=-', 4) AS p4,
       bmn.score_passed('persons=1 thai=1 applicable=22 passed=22 members=-', 22) AS p22b,
       bmn.score_passed('persons=1 thai=1 applicable=22 passed=22 members=-', 99) AS p99;
-- bad input is an error with a reason, never a crash
SELECT 'persons=1 thai=2 applicable=- passed=- members=-'::bmn.score;
SELECT 'persons=1 thai=1 applicable=4 passed=5 members=-'::bmn.score;
SELECT 'persons=1 thai=1 applicable=65 passed=- members=-'::bmn.score;
SELECT 'persons=1 thai=1 applicable=0 passed=- members=-'::bmn.score;
SELECT 'persons=1 thai=1 applicable=4,4 passed=- members=-'::bmn.score;
SELECT 'persons=2 thai=2 applicable=- passed=- members=20:1/2'::bmn.score;
SELECT 'persons=2 thai=2 applicable=- passed=- members=20:3/1'::bmn.score;
SELECT 'persons=2 thai=2 applicable=- passed=- members=20:1/1,16:1/1'::bmn.score;
SELECT 'persons=99999 thai=0 applicable=- passed=- members=-'::bmn.score;
SELECT 'persons=1 thai=1 applicable=- passed=- members=- extra'::bmn.score;
SELECT ''::bmn.score;
