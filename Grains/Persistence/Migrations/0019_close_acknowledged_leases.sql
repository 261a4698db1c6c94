-- A worker closes a lease once every task of its batch is settled, and the delete trigger of 0017
-- then looks up each of the lease's tasks in case one is still held: about 1.5 µs of PostgreSQL
-- time per task (150–170 ms for 50 leases of 2,000 tasks), a tenth of what a task costs the
-- database in a drain, and paid outside a drain's measured span because leases close on the renew
-- timer. A lease whose every outcome its worker saw recorded cannot hold a task (each recorded
-- outcome moved its task's version), so taskgrid_close_leases deletes those without the look-up.
-- A lease with any outcome unconfirmed (a write abandoned or refused, a stop, a hand-back) is
-- still checked, as is every other delete: the reaper's, a rejoining silo's, and that of a silo
-- of the previous release.

-- The trigger of 0017, now fired only for leases that recorded versions and are not vouched for.
drop trigger if exists task_leases_deleted on task_leases;
create trigger task_leases_deleted before delete on task_leases
    for each row
    when (old.task_versions is not null
          and current_setting('taskgrid.leases_acknowledged', true) is distinct from 'on')
    execute function taskgrid_lease_deleted();

-- Deletes a worker's settled leases: those it vouches for (every outcome recorded) without looking
-- at their tasks, the others through the check above. Returns how many leases it deleted.
create or replace function taskgrid_close_leases(p_worker text, p_acknowledged uuid[], p_unconfirmed uuid[])
returns integer
language plpgsql
set jit = off
as $$
declare
    acknowledged integer;
    unconfirmed integer;
begin
    perform set_config('taskgrid.leases_acknowledged', 'on', true);
    delete from task_leases where id = any(p_acknowledged) and worker_id = p_worker;
    get diagnostics acknowledged = row_count;
    perform set_config('taskgrid.leases_acknowledged', '', true);
    delete from task_leases where id = any(p_unconfirmed) and worker_id = p_worker;
    get diagnostics unconfirmed = row_count;
    return acknowledged + unconfirmed;
end
$$;
