-- The claim runs on its cached generic plan, whatever calls it. Left to choose, PostgreSQL's plan
-- cache re-plans the long claim statement on every call, because the generic plan's estimated
-- cost is higher than the custom plans' (it cannot see p_max); planning then costs more than
-- running a batch of ten (2.6–6.5 ms per claim of five with custom plans, 1.4–1.8 ms generic).
-- Until now each caller sent set_config('plan_cache_mode', ...) in the same transaction; the
-- setting now belongs to the function (it also covers the triggers its UPDATE fires).
--
-- A later `create or replace function taskgrid_claim` drops this setting unless it repeats it;
-- ClaimPlanTests fails if the function loses it.
alter function taskgrid_claim(text, integer, integer, uuid, interval, timestamptz)
    set plan_cache_mode = force_generic_plan;
