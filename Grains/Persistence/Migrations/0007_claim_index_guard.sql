-- Indexes that must never serve the claim, whatever the statistics say.
--
-- The claim (taskgrid_claim) reads a lane as `grid_id = ... and claimable ... order by grid_id,
-- priority desc, run_at, id`, which tasks_claim answers in order. Two other partial indexes were
-- usable for it because their predicates follow from the claim's conditions: tasks_user_pending
-- (where claimable) and tasks_user_single (where grid_id is null, for single tasks). With
-- statistics taken while the table held only finished tasks, the planner picked them, then read
-- and sorted a user's whole backlog on every claim (55 ms against 0.2 ms through tasks_claim, with
-- 20,000 pending behind 200,000 finished rows; migration 0006 only shortens such a window).
--
-- Both now also require `user_id is not null`: always true (the column is not null), implied by
-- the queries they are for (`user_id = @owner ...`), and never implied by the claim, which does
-- not name user_id, so the planner cannot choose them there.
drop index if exists tasks_user_pending;
create index if not exists tasks_user_pending on tasks (user_id) where claimable and user_id is not null;

drop index if exists tasks_user_single;
create index if not exists tasks_user_single on tasks (user_id) where grid_id is null and user_id is not null;
