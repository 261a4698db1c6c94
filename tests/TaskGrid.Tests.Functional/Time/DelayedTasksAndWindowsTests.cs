using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Functional.Time;

/// <summary>Delayed tasks, grid windows and recurring grids on three real silos.</summary>
public sealed class DelayedTasksAndWindowsTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private TimeCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TimeCluster.StartAsync(database, silos: 3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Task<DateTime> DbNowAsync() => database.ScalarAsync<DateTime>("select now()");

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    [Fact]
    public async Task A_delayed_task_starts_within_100_ms_of_its_run_at()
    {
        var runAt = Utc(await DbNowAsync()).AddSeconds(3);
        var task = await _cluster.PostAsync("/v1/tasks", new { kind = "noop", run_at = runAt });
        var id = Guid.Parse((string)task["id"]!);
        Assert.Equal("pending", (string)task["status"]!);

        await Eventually.HoldsAsync(async () =>
            await database.ScalarAsync<string>("select status from tasks where id = @id", ("id", id)) == "completed",
            TimeSpan.FromSeconds(30), "the delayed task to complete");

        var lateBy = await database.ScalarAsync<double>("select extract(epoch from started_at - run_at) from tasks where id = @id", ("id", id));
        Assert.InRange(lateBy, 0, 0.100);

        var viaDelay = await _cluster.PostAsync("/v1/tasks", new { kind = "noop", delay_seconds = 2 });
        var delayed = Guid.Parse((string)viaDelay["id"]!);
        Assert.Equal(2.0, await database.ScalarAsync<double>("select extract(epoch from run_at - created_at) from tasks where id = @id", ("id", delayed)), 3);
        await Eventually.HoldsAsync(async () =>
            await database.ScalarAsync<string>("select status from tasks where id = @id", ("id", delayed)) == "completed",
            TimeSpan.FromSeconds(30), "the task delayed by delay_seconds to complete");
        Assert.InRange(await database.ScalarAsync<double>("select extract(epoch from started_at - run_at) from tasks where id = @id", ("id", delayed)), 0, 0.100);
    }

    [Fact]
    public async Task Run_at_and_delay_seconds_together_are_refused_naming_the_field()
    {
        using var response = await _cluster.Http.PostAsJsonAsync("/v1/tasks", new { kind = "noop", run_at = DateTimeOffset.UtcNow, delay_seconds = 5 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("run_at", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grid_window_opens_on_time_and_retirement_expires_its_pending_tasks()
    {
        var now = Utc(await DbNowAsync());
        var opening = await _cluster.PostAsync("/v1/grids", new
        {
            name = "window",
            active_from = now.AddSeconds(3),
            retire_at = now.AddMinutes(10),
            tasks = Enumerable.Range(0, 5).Select(_ => new { kind = "noop" }),
        });
        var openingId = Guid.Parse((string)opening["id"]!);
        var retiring = await _cluster.PostAsync("/v1/grids", new
        {
            name = "never opens",
            active_from = now.AddHours(1),
            retire_at = now.AddHours(2),
            tasks = Enumerable.Range(0, 4).Select(_ => new { kind = "noop" }),
        });
        var retiringId = Guid.Parse((string)retiring["id"]!);

        await Eventually.HoldsAsync(async () =>
            await database.ScalarAsync<long>("select count(*) from tasks where grid_id = @id and status = 'completed'", ("id", openingId)) == 5,
            TimeSpan.FromSeconds(30), "the window's tasks to run once it opened");
        Assert.Equal(0, await database.ScalarAsync<long>(
            "select count(*) from tasks t join grids g on g.id = t.grid_id where g.id = @id and t.started_at < g.active_from", ("id", openingId)));
        // Opening is woken by the silos' timer, not the poll: the first task starts right after the window opens.
        Assert.InRange(await database.ScalarAsync<double>(
            "select extract(epoch from min(t.started_at) - g.active_from) from tasks t join grids g on g.id = t.grid_id where g.id = @id group by g.active_from", ("id", openingId)), 0, 0.5);

        // Moving retire_at into the past retires the grid at once (nothing more starts or is added),
        // and the scheduler expires its pending tasks (kept, retryable).
        using var patch = await _cluster.Http.PatchAsJsonAsync($"/v1/grids/{retiringId}", new { retire_at = now.AddSeconds(-1), clear_active_from = true });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var patched = (await patch.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.NotNull(patched["retired_at"]);
        await Eventually.HoldsAsync(async () =>
            await database.ScalarAsync<long>("select count(*) from tasks where grid_id = @id and status = 'expired'", ("id", retiringId)) == 4,
            TimeSpan.FromSeconds(30), "the retired grid's pending tasks to expire");
        Assert.Equal(0, await database.ScalarAsync<long>(
            "select count(*) from tasks where grid_id = @id and started_at is not null", ("id", retiringId)));

        using var add = await _cluster.Http.PostAsJsonAsync($"/v1/grids/{retiringId}/tasks", new[] { new { kind = "noop" } });
        Assert.Equal(HttpStatusCode.Conflict, add.StatusCode);
    }

    [Fact]
    public async Task The_scheduler_retires_a_grid_at_its_retire_at_and_running_tasks_finish()
    {
        var now = Utc(await DbNowAsync());
        var grid = await _cluster.PostAsync("/v1/grids", new
        {
            name = "retires soon",
            retire_at = now.AddSeconds(2),
            tasks = Enumerable.Range(0, 3).Select(_ => new { kind = "noop", delay_seconds = 3600 }),
        });
        Assert.NotNull(grid["retire_at"]);
        var id = Guid.Parse((string)grid["id"]!);
        await Eventually.HoldsAsync(async () =>
            await database.ScalarAsync<long>("select count(*) from tasks where grid_id = @id and status = 'expired'", ("id", id)) == 3,
            TimeSpan.FromSeconds(30), "the retired grid's pending tasks to expire");
        Assert.True(await database.ScalarAsync<bool>("select retired_at is not null from grids where id = @id", ("id", id)));
        Assert.Equal("grid retired", await database.ScalarAsync<string>(
            "select taskgrid_task_history(t) -> -1 ->> 'reason' from tasks t where grid_id = @id limit 1", ("id", id)));
    }

    [Fact]
    public async Task A_cron_template_creates_exactly_one_run_per_tick_with_three_silos()
    {
        var template = await _cluster.PostAsync("/v1/grid-templates", new
        {
            name = "every minute",
            cron = "* * * * *",
            time_zone = "Europe/Paris",
            tasks = new[] { new { kind = "noop" }, new { kind = "noop" } },
        });
        var id = Guid.Parse((string)template["id"]!);
        Assert.NotNull(template["next_tick"]);
        // A daily tick twelve hours away from now: its latest tick is hours old, so missed.
        var daily = $"0 {(DateTime.UtcNow.Hour + 12) % 24} * * *";
        var skipId = Guid.Parse((string)(await _cluster.PostAsync("/v1/grid-templates", new
        {
            name = "skips missed ticks", cron = daily, missed_ticks = "skip", tasks = new[] { new { kind = "noop" } },
        }))["id"]!);
        var onceId = Guid.Parse((string)(await _cluster.PostAsync("/v1/grid-templates", new
        {
            name = "runs a missed tick once", cron = daily, missed_ticks = "run_once", tasks = new[] { new { kind = "noop" } },
        }))["id"]!);

        // Bring the ticks forward instead of waiting for the clock: the first template's tick is
        // the current minute (on time); the second's is ten minutes old (missed while "down").
        await database.ExecuteAsync("update grid_templates set next_tick = date_trunc('minute', now()) where id = @id", ("id", id));
        await database.ExecuteAsync("update grid_templates set next_tick = now() - interval '2 days' where id = any(@ids)", ("ids", new[] { skipId, onceId }));

        await Eventually.HoldsAsync(async () =>
            await database.ScalarAsync<long>("select count(*) from grids where template_id = @id", ("id", id)) >= 1,
            TimeSpan.FromSeconds(30), "the template's run");
        await Eventually.HoldsAsync(async () =>
            await database.ScalarAsync<long>("select count(*) from grid_templates where id = any(@ids) and next_tick > now()", ("ids", new[] { skipId, onceId })) == 2,
            TimeSpan.FromSeconds(30), "the templates with missed ticks to move on");
        // Three silos offered the duty every 250 ms meanwhile; give them a few more passes.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await database.ScalarAsync<long>(
            "select count(*) from (select tick from grids where template_id is not null group by template_id, tick having count(*) > 1) d"));
        Assert.Equal(1, await database.ScalarAsync<long>(
            "select count(*) from grids where template_id = @id and tick = (select last_tick from grid_templates where id = @id)", ("id", id)));
        Assert.Equal(0, await database.ScalarAsync<long>("select count(*) from grids where template_id = @id", ("id", skipId)));
        Assert.Equal(1, await database.ScalarAsync<long>(
            "select count(*) from grids where template_id = @id and tick > now() - interval '1 day'", ("id", onceId)));

        var run = Guid.Parse((string)(await _cluster.Http.GetFromJsonAsync<JsonObject>($"/v1/grid-templates/{id}"))!["last_run_id"]!);
        await Eventually.HoldsAsync(async () =>
            (string?)(await _cluster.Http.GetFromJsonAsync<JsonObject>($"/v1/grids/{run}"))!["status"] == "finished",
            TimeSpan.FromSeconds(30), "the run to finish");
        var view = (await _cluster.Http.GetFromJsonAsync<JsonObject>($"/v1/grids/{run}"))!;
        Assert.Equal(id.ToString(), (string)view["template_id"]!);
        Assert.Equal(2, (int)view["total"]!);
    }

    [Fact]
    public async Task A_template_with_a_bad_cron_is_refused_naming_the_field()
    {
        using var response = await _cluster.Http.PostAsJsonAsync("/v1/grid-templates", new { name = "x", cron = "61 * * * *", tasks = new[] { new { kind = "noop" } } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("cron", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
