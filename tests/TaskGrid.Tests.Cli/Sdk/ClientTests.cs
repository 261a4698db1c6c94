using System.Net;
using TaskGrid.Access;
using TaskGrid.Client;
using TaskGrid.Cluster;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Tests.Cli.Support;
using TaskGrid.Testing;
using TaskGrid.Users;

namespace TaskGrid.Tests.Cli.Sdk;

/// <summary>The SDK against a real gateway and silo: typed calls, paging, errors, waiting.</summary>
[Collection(SdkCluster.Name)]
public sealed class ClientTests(RunningCluster cluster)
{
    private static readonly SubmitTaskRequest s_noop = new() { Kind = TaskKinds.Noop };

    [Fact]
    public async Task Paging_through_a_grid_with_more_than_one_page_yields_every_task_once()
    {
        using var client = cluster.Client();
        var grid = await client.CreateGridAsync(new CreateGridRequest { Name = "paging", Tasks = [.. Enumerable.Repeat(s_noop, 90)] });
        await client.AddGridTasksAsync(grid.Id, [.. Enumerable.Repeat(s_noop, 30)]);
        var injector = new FaultInjector();
        using var counted = cluster.Client(handler: injector);

        var seen = new List<TaskView>();
        await foreach (var task in counted.ListGridTasksAsync(grid.Id, new TaskQuery(Limit: 50)))
        {
            seen.Add(task);
        }

        Assert.Equal(120, seen.Count);
        Assert.Equal(120, seen.Select(t => t.Id).Distinct().Count());
        Assert.All(seen, t => Assert.Equal(grid.Id, t.GridId));
        Assert.Equal(3, injector.Attempts);
        Assert.Equal(seen.OrderByDescending(t => t.Id).Select(t => t.Id), seen.Select(t => t.Id));

        var page = await client.GetTasksPageAsync(new TaskQuery(GridId: grid.Id, Limit: 100));
        Assert.Equal(100, page.Items.Count);
        Assert.NotNull(page.NextCursor);
        var rest = await client.GetTasksPageAsync(new TaskQuery(GridId: grid.Id, Limit: 100, Cursor: page.NextCursor));
        Assert.Equal(20, rest.Items.Count);
        Assert.Null(rest.NextCursor);
    }

    [Fact]
    public async Task Paging_stops_fetching_when_the_caller_stops_enumerating()
    {
        var injector = new FaultInjector();
        using var client = cluster.Client(handler: injector);
        var grid = await client.CreateGridAsync(new CreateGridRequest { Name = "early stop", Tasks = [.. Enumerable.Repeat(s_noop, 30)] });
        var before = injector.Attempts;

        var first = await client.ListGridTasksAsync(grid.Id, new TaskQuery(Limit: 10)).Take(5).ToListAsync();

        Assert.Equal(5, first.Count);
        Assert.Equal(before + 1, injector.Attempts);
    }

    [Fact]
    public async Task A_bad_request_is_a_typed_exception_with_the_field_errors()
    {
        using var client = cluster.Client();
        var error = await Assert.ThrowsAsync<TaskGridApiException>(() =>
            client.SubmitTaskAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, Priority = 5000 }));
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("The request has invalid fields", error.Title);
        Assert.Contains("priority", error.Errors.Keys);
        Assert.Contains("between -1000 and 1000", error.Errors["priority"][0], StringComparison.Ordinal);
        Assert.Contains("priority", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_task_or_grid_is_a_typed_404()
    {
        using var client = cluster.Client();
        var id = Guid.NewGuid();
        var task = await Assert.ThrowsAsync<TaskGridApiException>(() => client.GetTaskAsync(id));
        Assert.Equal(HttpStatusCode.NotFound, task.StatusCode);
        Assert.Equal("Not found", task.Title);
        Assert.Contains(id.ToString(), task.Detail, StringComparison.Ordinal);
        var grid = await Assert.ThrowsAsync<TaskGridApiException>(() => client.PauseGridAsync(id));
        Assert.Equal(HttpStatusCode.NotFound, grid.StatusCode);
    }

    [Fact]
    public async Task Another_users_grid_is_a_404_for_them_and_their_key_is_refused_once_revoked()
    {
        using var admin = cluster.Client();
        var grid = await admin.CreateGridAsync(new CreateGridRequest { Name = "admin's" });
        var (userId, key) = await cluster.NewUserAsync();
        using var user = cluster.Client(key);

        Assert.Equal(userId, (await user.GetCurrentUserAsync()).Id);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<TaskGridApiException>(() => user.GetGridAsync(grid.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<TaskGridApiException>(() => user.CreateUserAsync(new CreateUserRequest { Name = "x" }))).StatusCode);

        var keys = await admin.ListUserApiKeysAsync(userId);
        var revoked = await admin.RevokeApiKeyAsync(Assert.Single(keys).Id);
        Assert.NotNull(revoked.RevokedAt);
        await Eventually.HoldsAsync(async () =>
        {
            var refused = await Assert.ThrowsAsync<TaskGridApiException>(() => user.GetCurrentUserAsync());
            return refused.StatusCode == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(30), "the revoked key to be refused");
        Assert.Equal(HttpStatusCode.Conflict, (await Assert.ThrowsAsync<TaskGridApiException>(() => admin.RevokeApiKeyAsync(revoked.Id))).StatusCode);
    }

    [Fact]
    public async Task A_state_conflict_is_a_typed_409()
    {
        using var client = cluster.Client();
        var task = await client.SubmitTaskAsync(s_noop);
        var done = await client.WaitForTaskAsync(task.Id, TimeSpan.FromMilliseconds(100));
        Assert.Equal(TaskState.Completed, done.Status);

        var error = await Assert.ThrowsAsync<TaskGridApiException>(() => client.CancelTaskAsync(task.Id));
        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Contains("completed", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Waiting_for_a_codegen_task_returns_it_with_the_generated_code()
    {
        using var client = cluster.Client();
        var task = await client.SubmitTaskAsync(new SubmitTaskRequest { Objective = "add two numbers", Language = "python" });
        Assert.Equal(TaskState.Pending, task.Status);

        var done = await client.WaitForTaskAsync(task.Id, TimeSpan.FromMilliseconds(100));

        Assert.Equal(TaskState.Completed, done.Status);
        Assert.Equal(FakeOpenAiServer.ExpectedCode("add two numbers", "python"), done.Code);
        var events = await client.GetTaskEventsAsync(task.Id);
        Assert.Equal([TaskState.Pending, TaskState.Running, TaskState.Completed], events.Select(e => e.To));
    }

    [Fact]
    public async Task Watching_a_grid_yields_its_progress_until_it_is_finished()
    {
        using var client = cluster.Client();
        var grid = await client.CreateGridAsync(new CreateGridRequest { Name = "watched", Tasks = [.. Enumerable.Repeat(s_noop, 40)] });

        var views = await client.WatchGridAsync(grid.Id, TimeSpan.FromMilliseconds(100)).ToListAsync();

        var last = views[^1];
        Assert.Equal(GridStatus.Finished, last.Status);
        Assert.Equal(40, last.Counts.Completed);
        Assert.Equal(1.0, last.Progress);
        Assert.All(views[..^1], v => Assert.NotEqual(GridStatus.Finished, v.Status));
    }

    [Fact]
    public async Task Grid_operations_pause_resume_retry_and_cancel()
    {
        using var client = cluster.Client();
        var grid = await client.CreateGridAsync(new CreateGridRequest { Name = "steered", MaxAttempts = 1 });
        Assert.Equal(GridStatus.Paused, (await client.PauseGridAsync(grid.Id)).Grid.Status);
        await client.AddGridTasksAsync(grid.Id, [new SubmitTaskRequest { Kind = TaskKinds.Script, Interpreter = "bash", Source = "exit 7" }, s_noop]);
        Assert.Equal(HttpStatusCode.Conflict, (await Assert.ThrowsAsync<TaskGridApiException>(() => client.PauseGridAsync(grid.Id))).StatusCode);

        await client.ResumeGridAsync(grid.Id);
        var settled = await client.WatchGridAsync(grid.Id, TimeSpan.FromMilliseconds(100)).LastAsync();
        Assert.Equal((1, 1), (settled.Counts.Completed, settled.Counts.Failed));

        var retried = await client.RetryFailedGridTasksAsync(grid.Id);
        Assert.Equal(1, retried.TasksAffected);
        var cancelled = await client.CancelGridAsync(grid.Id);
        Assert.Equal(GridStatus.Cancelled, cancelled.Grid.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Assert.ThrowsAsync<TaskGridApiException>(() => client.CancelGridAsync(grid.Id))).StatusCode);
    }

    [Fact]
    public async Task Bulk_adds_above_the_gateways_cap_are_split_until_they_fit()
    {
        var injector = new FaultInjector();
        using var client = cluster.Client(handler: injector);
        var grid = await client.CreateGridAsync(new CreateGridRequest { Name = "bulk" });
        var reports = new List<int>();

        var added = await client.AddGridTasksInBatchesAsync(grid.Id, Enumerable.Repeat(s_noop, 250), batchSize: 250, new SyncProgress(reports.Add));

        Assert.Equal(250, added.Added);
        Assert.Equal(250, added.TaskIds.Distinct().Count());
        Assert.Equal(250, await cluster.CountTasksAsync(grid.Id));
        Assert.Equal(250, reports[^1]);
        Assert.All(reports.Zip(reports.Skip(1)), pair => Assert.True(pair.Second > pair.First));
        // 250 → 413; 125 → 413; then batches of at most 100 (the cap) go through.
        Assert.True(injector.Attempts >= 5, $"{injector.Attempts} calls");
    }

    [Fact]
    public async Task Cluster_status_silos_and_workers_are_typed()
    {
        using var anonymous = cluster.Client(apiKey: null);
        var status = await anonymous.GetStatusAsync();
        Assert.Equal(ClusterHealthStatus.Healthy, status.Status);
        Assert.True(status.Ready);
        Assert.True(status.Database.Reachable);
        Assert.Equal(1, status.Silos.Alive);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<TaskGridApiException>(() => anonymous.ListSilosAsync())).StatusCode);

        using var client = cluster.Client();
        var silo = Assert.Single(await client.ListSilosAsync(), s => s.State == SiloState.Active);
        Assert.Equal("silo-cli", silo.Name);
        var workers = await client.ListWorkersAsync("silo-cli");
        Assert.NotEmpty(workers);
        Assert.All(workers, w => Assert.Equal("silo-cli", w.Silo));
    }

    [Fact]
    public async Task A_cancelled_token_stops_a_call_and_a_wait()
    {
        using var client = cluster.Client();
        using (var cancelled = new CancellationTokenSource())
        {
            await cancelled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetStatusAsync(cancelled.Token));
        }

        var grid = await client.CreateGridAsync(new CreateGridRequest { Name = "never runs" });
        await client.PauseGridAsync(grid.Id);
        var added = await client.AddGridTasksAsync(grid.Id, [s_noop]);
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.WaitForTaskAsync(added.TaskIds[0], TimeSpan.FromMilliseconds(100), soon.Token));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));

        using var stopWatching = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.WatchGridAsync(grid.Id, TimeSpan.FromMilliseconds(100), stopWatching.Token))
            {
            }
        });
        await client.CancelGridAsync(grid.Id);
    }

    [Fact]
    public async Task Users_and_api_keys_are_managed_through_the_typed_routes()
    {
        using var admin = cluster.Client();
        var user = await admin.CreateUserAsync(new CreateUserRequest { Name = "sdk user", MaxPendingTasks = 10 });
        Assert.Equal(CallerRole.User, user.Role);
        Assert.Equal(user, await admin.GetUserAsync(user.Id));
        Assert.Contains(await admin.ListUsersAsync(new UserQuery(Limit: 1)).ToListAsync(), u => u.Id == user.Id);

        var key = await admin.CreateApiKeyAsync(user.Id, new CreateApiKeyRequest { Name = "laptop" });
        Assert.StartsWith(key.Prefix, key.Key, StringComparison.Ordinal);
        var shown = await admin.GetApiKeyAsync(key.Id);
        Assert.Equal(("laptop", user.Id, null), (shown.Name, shown.UserId, shown.RevokedAt));
        Assert.Contains(await admin.ListApiKeysAsync(), k => k.Id == key.Id);

        using var asUser = cluster.Client(key.Key);
        Assert.Equal(key.Id, Assert.Single(await asUser.ListApiKeysAsync()).Id);

        var disabled = await admin.UpdateUserAsync(user.Id, new UpdateUserRequest { Disabled = true });
        Assert.True(disabled.Disabled);
        Assert.True(disabled.Version > user.Version);
        await Eventually.HoldsAsync(async () =>
            (await Assert.ThrowsAsync<TaskGridApiException>(() => asUser.GetCurrentUserAsync())).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(30), "a disabled user's key to be refused");
    }

    [Fact]
    public async Task A_client_can_be_built_over_an_injected_http_client()
    {
        using var http = new HttpClient { BaseAddress = cluster.Url };
        using var client = new TaskGridClient(http, new TaskGridClientOptions { ApiKey = TaskGridCluster.AdminKey });
        Assert.Equal(cluster.Url.ToString(), client.BaseAddress.ToString());
        Assert.Equal("admin", (await client.GetCurrentUserAsync()).Id);
        Assert.Null(http.DefaultRequestHeaders.Authorization);
        Assert.Throws<ArgumentException>(() => new TaskGridClient(new TaskGridClientOptions()));
    }

    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
