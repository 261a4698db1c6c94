using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using TaskGrid.Access;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Deployment.Cluster;

/// <summary>
/// Three silo processes named like StatefulSet pods share one PostgreSQL under load, and one
/// is deleted the way the kubelet deletes a pod: SIGTERM, then SIGKILL once the pod's
/// termination grace period is over. Whether the silo drains in time or is killed mid-drain,
/// every task completes exactly once and what the deleted silo held is finished by the others.
/// </summary>
public sealed class SiloPodDeletionTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const int TaskCount = 240;
    private const string Victim = "silo-2";
    private static readonly string[] s_sleepSeconds = ["0.5", "1", "1.5", "2", "3"];
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_silo_that_drains_within_the_grace_period_hands_back_what_it_could_not_finish()
    {
        // The silo's own drain (1 s) is well inside the pod's grace (10 s), as the manifests
        // arrange it: the process exits by itself and SIGKILL is never needed.
        var run = await DeleteSiloUnderLoadAsync(shutdownGrace: TimeSpan.FromSeconds(1), terminationGrace: TimeSpan.FromSeconds(10));

        Assert.False(run.Killed, "The silo did not exit within the pod's termination grace period.");
        Assert.Equal("stopped", await database.ScalarAsync<string>("select state from silos where name = @name", ("name", Victim)));
        await AssertEveryTaskCompletedOnceAsync(run);
        var handedBack = await HandedBackAsync(run, "released: silo silo-2 shut down%");
        Assert.NotEmpty(handedBack);
        await AssertFinishedByTheOthersAsync(run, handedBack);
    }

    [Fact]
    public async Task A_silo_killed_after_the_grace_period_loses_its_leases_to_the_others()
    {
        // The pod's grace (1 s) runs out while the silo still waits for its tasks (30 s):
        // SIGKILL, no hand-back; the leases lapse and the tasks are redelivered.
        var run = await DeleteSiloUnderLoadAsync(shutdownGrace: TimeSpan.FromSeconds(30), terminationGrace: TimeSpan.FromSeconds(1));

        Assert.True(run.Killed, "The silo exited before SIGKILL; this case needs it killed mid-drain.");
        await AssertEveryTaskCompletedOnceAsync(run);
        var redelivered = await HandedBackAsync(run, "lease lost by silo-2/%");
        Assert.NotEmpty(redelivered);
        await AssertFinishedByTheOthersAsync(run, redelivered);
    }

    private async Task<DeletionRun> DeleteSiloUnderLoadAsync(TimeSpan shutdownGrace, TimeSpan terminationGrace)
    {
        var settings = new Dictionary<string, string>
        {
            ["TaskGrid__Worker__ShutdownGracePeriod"] = shutdownGrace.ToString("c", CultureInfo.InvariantCulture),
            ["TaskGrid__Worker__Workers"] = "2",
            ["TaskGrid__Worker__Concurrency"] = "8",
            ["TaskGrid__Worker__Prefetch"] = "4",
        };
        var silos = await Task.WhenAll(new[] { "silo-0", "silo-1", Victim }.Select(name => TaskGridCluster.StartSiloAsync(database.Url, name, settings)));
        try
        {
            await using var services = database.CreateServices();
            var grains = services.GetRequiredService<IGrainFactory>();
            var tasks = Enumerable.Range(0, TaskCount).Select(i => new SubmitTaskRequest
            {
                Kind = TaskKinds.Script,
                Interpreter = "bash",
                Source = "sleep \"$1\"",
                Args = [s_sleepSeconds[i % s_sleepSeconds.Length]],
                TimeoutSeconds = 30,
                MaxAttempts = 5,
            }).ToList();
            var grid = await grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest { Name = "pod deletion", Tasks = tasks });

            await Eventually.HoldsAsync(
                async () => await database.ScalarAsync<long>(
                    "select count(*) from tasks where grid_id = @grid and status = 'running' and lease_owner like 'silo-2/%'", ("grid", grid.Id)) >= 8,
                s_bound, "silo-2 to be running tasks");

            var victim = silos[2];
            var gracePassesAt = DateTime.UtcNow + terminationGrace;
            victim.Terminate();
            var drainingSeenAt = await DrainingSeenAsync(victim, gracePassesAt);
            var killed = !await victim.WaitForExitAsync(Max(gracePassesAt - DateTime.UtcNow, TimeSpan.Zero));
            if (killed)
            {
                victim.Kill();
                Assert.True(await victim.WaitForExitAsync(TimeSpan.FromSeconds(10)), "silo-2 survived SIGKILL.");
            }

            await Eventually.HoldsAsync(
                async () => await database.ScalarAsync<long>(
                    "select count(*) from tasks where grid_id = @grid and status in ('pending', 'running')", ("grid", grid.Id)) == 0,
                s_bound, "every task of the grid to finish");
            return new DeletionRun(grid.Id, drainingSeenAt, killed);
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    private async Task AssertEveryTaskCompletedOnceAsync(DeletionRun run)
    {
        Assert.Equal(TaskCount, await database.ScalarAsync<long>(
            "select count(*) from tasks where grid_id = @grid and status = 'completed'", ("grid", run.GridId)));
        // The recorded outcome is exactly-once even where execution was not.
        Assert.Equal(0, await database.ScalarAsync<long>("""
            select count(*) from (
                select t.id from tasks t left join task_events e on e.task_id = t.id and e.to_status = 'completed'
                where t.grid_id = @grid group by t.id having count(e.id) <> 1) wrong
            """, ("grid", run.GridId)));
        Assert.Equal(0, await database.ScalarAsync<long>("""
            select count(*) from task_events e join tasks t on t.id = e.task_id
            where t.grid_id = @grid and e.to_status = 'failed'
            """, ("grid", run.GridId)));
        // A draining silo claims nothing new (a claim already under way when it stopped claiming
        // may land). Counted from when the database showed it draining, not from SIGTERM: a
        // starved process can take a while to act on the signal, and claims until it does.
        if (run.DrainingSeenAt is { } drainingSeenAt)
        {
            Assert.Equal(0, await database.ScalarAsync<long>("""
                select count(*) from task_events e join tasks t on t.id = e.task_id
                where t.grid_id = @grid and e.to_status = 'running' and e.actor like 'silo-2/%'
                  and e.at > @draining + interval '1 second'
                """, ("grid", run.GridId), ("draining", drainingSeenAt)));
        }
        else
        {
            Assert.True(run.Killed, "silo-2 exited by itself without ever showing as draining.");
        }
    }

    // The database time at which silo-2's membership row was first seen no longer active (it marks
    // itself draining right after it stops claiming), or null if it was not before the grace passed.
    private async Task<DateTime?> DrainingSeenAsync(TaskGridProcess victim, DateTime gracePassesAt)
    {
        while (true)
        {
            var seen = await database.ScalarAsync<DateTime?>(
                "select clock_timestamp() from silos where name = @name and state <> 'active'", ("name", Victim));
            if (seen is not null || DateTime.UtcNow >= gracePassesAt || victim.HasExited)
            {
                return seen;
            }
            await Task.Delay(20);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // Tasks silo-2 held that went back to pending for the given reason.
    private async Task<List<Guid>> HandedBackAsync(DeletionRun run, string reasonPattern)
    {
        await using var command = database.DataSource.CreateCommand("""
            select distinct e.task_id from task_events e join tasks t on t.id = e.task_id
            where t.grid_id = @grid and e.from_status = 'running' and e.to_status = 'pending' and e.reason like @reason
            """);
        command.Parameters.AddWithValue("grid", run.GridId);
        command.Parameters.AddWithValue("reason", reasonPattern);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    private async Task AssertFinishedByTheOthersAsync(DeletionRun run, List<Guid> handedBack)
    {
        Assert.Equal(0, await database.ScalarAsync<long>("""
            select count(*) from task_events
            where task_id = any(@ids) and to_status = 'completed'
              and (actor is null or not (actor like 'silo-0/%' or actor like 'silo-1/%'))
            """, ("ids", handedBack.ToArray())));
        Assert.Equal(handedBack.Count, await database.ScalarAsync<long>(
            "select count(*) from tasks where id = any(@ids) and status = 'completed'", ("ids", handedBack.ToArray())));
    }

    private sealed record DeletionRun(Guid GridId, DateTime? DrainingSeenAt, bool Killed);
}
