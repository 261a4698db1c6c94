-- A claimed task's row stays on its page, and a claim compresses nothing.
--
-- 0012 left half of each new tasks page free (fillfactor 50) so that a claim, which rewrites
-- every row of a page in one transaction, could write each row's new version next to the old one
-- (a HOT update: no index entry). But the claimed version is larger than the submitted one (the
-- lease owner and token, started_at, the worker as actor: about 40 bytes of a no-op task's ~180),
-- so the last few rows of a full page did not fit: in a 100,000-task benchmark drain 19,146 of
-- the 200,000 updates (claims and completions) moved their row to another page, each writing an
-- entry into every index on tasks; index inserts were 7 % of PostgreSQL's CPU samples. With 40 %
-- of each page filled at insert there is room for both versions; the completion's version then
-- takes the space of the submitted one once the page is pruned of it, which PostgreSQL does when
-- no transaction on the server (in any database) that began before the claim committed is still
-- running; a long one (a report, a pg_dump) makes completions move rows again meanwhile. Measured on
-- this project's 2-core machine: every update HOT, the table no larger (no moved rows), and
-- 100,000-task drains at 57,900-60,000 tasks/s against 53,300-55,400 the same hour.
--
-- A lease row names its tasks in one array (2,000 uuids in a large claim, 32 KB), which
-- PostgreSQL tried to compress before storing it out of line: pglz was 3 % of PostgreSQL's CPU
-- samples in those drains, for a row that lives until the batch is acknowledged. It is now stored
-- out of line as it is (storage external).
--
-- Both settings apply to pages and values written from now on.

alter table tasks set (fillfactor = 40);
alter table task_leases alter column task_ids set storage external;
