using TaskGrid.Access;
using TaskGrid.Errors;
using TaskGrid.Grids;
using TaskGrid.Paging;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;

namespace TaskGrid.Tests.Integration.Tasks;

public sealed class CatalogTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    // Submitted one second apart with ids from the same clock, as the gateway makes them.
    private static async Task<List<Guid>> SubmitSeriesAsync(Engine engine, Caller caller, int count, Func<int, SubmitTaskRequest>? request = null)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            engine.Clock.Advance(TimeSpan.FromSeconds(1));
            var id = Guid.CreateVersion7(engine.Clock.GetUtcNow());
            await engine.SubmitAsync(request?.Invoke(i) ?? new SubmitTaskRequest { Kind = TaskKinds.Noop }, caller, id);
            ids.Add(id);
        }
        return ids;
    }

    private static async Task<List<T>> AllPagesAsync<T>(Func<string?, Task<Page<T>>> page, int pageSize)
    {
        var items = new List<T>();
        string? cursor = null;
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 1000, "paging does not end");
            var next = await page(cursor);
            Assert.True(next.Items.Count <= pageSize);
            if (next.NextCursor is not null)
            {
                Assert.Equal(pageSize, next.Items.Count);
            }
            items.AddRange(next.Items);
            if (next.NextCursor is null)
            {
                return items;
            }
            cursor = next.NextCursor;
        }
    }

    [Fact]
    public async Task Cursor_pages_list_every_task_once_newest_first()
    {
        await using var engine = await Engine.StartAsync(database);
        var user = new Caller($"pager-{Guid.NewGuid():N}", CallerRole.User);
        var ids = await SubmitSeriesAsync(engine, user, 23);

        var listed = await AllPagesAsync(cursor => engine.Grains.Catalog().ListTasksAsync(user, new TaskQuery(Limit: 5, Cursor: cursor)), 5);

        Assert.Equal(Enumerable.Reverse(ids), listed.Select(t => t.Id));
        Assert.Equal(listed.Select(t => t.CreatedAt).OrderDescending(), listed.Select(t => t.CreatedAt));

        // New tasks arriving while paging do not shift the pages behind the cursor.
        var firstPage = await engine.Grains.Catalog().ListTasksAsync(user, new TaskQuery(Limit: 10));
        await SubmitSeriesAsync(engine, user, 3);
        var secondPage = await engine.Grains.Catalog().ListTasksAsync(user, new TaskQuery(Limit: 10, Cursor: firstPage.NextCursor));
        Assert.Equal(ids.AsEnumerable().Reverse().Skip(10).Take(10), secondPage.Items.Select(t => t.Id));
    }

    [Fact]
    public async Task A_page_exactly_full_at_the_end_has_no_next_cursor()
    {
        await using var engine = await Engine.StartAsync(database);
        var user = new Caller($"exact-{Guid.NewGuid():N}", CallerRole.User);
        await SubmitSeriesAsync(engine, user, 4);
        var page = await engine.Grains.Catalog().ListTasksAsync(user, new TaskQuery(Limit: 4));
        Assert.Equal(4, page.Items.Count);
        Assert.Null(page.NextCursor);
        var empty = await engine.Grains.Catalog().ListTasksAsync(new Caller($"nobody-{Guid.NewGuid():N}", CallerRole.User), new TaskQuery());
        Assert.Equal((0, (string?)null), (empty.Items.Count, empty.NextCursor));
    }

    [Fact]
    public async Task A_status_filter_pages_through_matching_tasks_only()
    {
        await using var engine = await Engine.StartAsync(database);
        var user = new Caller($"filter-{Guid.NewGuid():N}", CallerRole.User);
        var ids = await SubmitSeriesAsync(engine, user, 9);
        var cancelled = ids.Where((_, i) => i % 3 == 0).ToList();
        foreach (var id in cancelled)
        {
            await engine.Grains.Task(id).CancelAsync(user);
        }
        var listed = await AllPagesAsync(cursor => engine.Grains.Catalog().ListTasksAsync(user, new TaskQuery(Status: TaskState.Cancelled, Limit: 2, Cursor: cursor)), 2);
        Assert.Equal(Enumerable.Reverse(cancelled), listed.Select(t => t.Id));
        Assert.All(listed, t => Assert.Equal(TaskState.Cancelled, t.Status));
    }

    [Fact]
    public async Task Grids_page_newest_first_and_a_grids_tasks_page_too()
    {
        await using var engine = await Engine.StartAsync(database);
        var user = new Caller($"grids-{Guid.NewGuid():N}", CallerRole.User);
        var gridIds = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            engine.Clock.Advance(TimeSpan.FromSeconds(1));
            var id = Guid.CreateVersion7(engine.Clock.GetUtcNow());
            await engine.Grains.Grid(id).CreateAsync(user, new CreateGridRequest { Name = $"grid {i}", Tasks = i == 6 ? [.. Enumerable.Range(0, 11).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop })] : null });
            gridIds.Add(id);
        }

        var grids = await AllPagesAsync(cursor => engine.Grains.Catalog().ListGridsAsync(user, new GridQuery(Limit: 3, Cursor: cursor)), 3);
        Assert.Equal(Enumerable.Reverse(gridIds), grids.Select(g => g.Id));

        var tasks = await AllPagesAsync(cursor => engine.Grains.Grid(gridIds[6]).ListTasksAsync(user, new TaskQuery(Limit: 4, Cursor: cursor)), 4);
        Assert.Equal(11, tasks.Select(t => t.Id).Distinct().Count());
        Assert.Equal(tasks.Select(t => t.Id.ToString("N")).Order(StringComparer.Ordinal).Reverse(), tasks.Select(t => t.Id.ToString("N")));
        var viaCatalog = await AllPagesAsync(cursor => engine.Grains.Catalog().ListTasksAsync(user, new TaskQuery(GridId: gridIds[6], Limit: 4, Cursor: cursor)), 4);
        Assert.Equal(tasks.Select(t => t.Id), viaCatalog.Select(t => t.Id));
    }

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("0000")]
    [InlineData("' or 1=1 --")]
    public async Task An_invalid_cursor_is_a_validation_error(string cursor)
    {
        await using var engine = await Engine.StartAsync(database);
        var grid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest { Name = "c" });
        await AssertNamesAsync("cursor", () => engine.Grains.Catalog().ListTasksAsync(Caller.System, new TaskQuery(Cursor: cursor)));
        await AssertNamesAsync("cursor", () => engine.Grains.Catalog().ListGridsAsync(Caller.System, new GridQuery(Cursor: cursor)));
        await AssertNamesAsync("cursor", () => engine.Grains.Grid(grid.Id).ListTasksAsync(Caller.System, new TaskQuery(Cursor: cursor)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(PageLimits.Max + 1)]
    public async Task An_out_of_range_limit_is_a_validation_error(int limit)
    {
        await using var engine = await Engine.StartAsync(database);
        var grid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest { Name = "l" });
        await AssertNamesAsync("limit", () => engine.Grains.Catalog().ListTasksAsync(Caller.System, new TaskQuery(Limit: limit)));
        await AssertNamesAsync("limit", () => engine.Grains.Catalog().ListGridsAsync(Caller.System, new GridQuery(Limit: limit)));
        await AssertNamesAsync("limit", () => engine.Grains.Grid(grid.Id).ListTasksAsync(Caller.System, new TaskQuery(Limit: limit)));
    }

    [Fact]
    public async Task A_user_sees_only_their_own_tasks_and_grids_and_an_admin_sees_all()
    {
        await using var engine = await Engine.StartAsync(database);
        var alice = new Caller($"alice-{Guid.NewGuid():N}", CallerRole.User);
        var bob = new Caller($"bob-{Guid.NewGuid():N}", CallerRole.User);
        var admin = new Caller("root", CallerRole.Admin);
        var aliceTasks = await SubmitSeriesAsync(engine, alice, 3);
        var bobTasks = await SubmitSeriesAsync(engine, bob, 2);
        var aliceGrid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(alice, new CreateGridRequest { Name = "a" });
        var bobGrid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(bob, new CreateGridRequest { Name = "b" });

        var catalog = engine.Grains.Catalog();
        Assert.Equal(aliceTasks.AsEnumerable().Reverse(), (await catalog.ListTasksAsync(alice, new TaskQuery())).Items.Select(t => t.Id));
        Assert.Equal(bobTasks.AsEnumerable().Reverse(), (await catalog.ListTasksAsync(bob, new TaskQuery())).Items.Select(t => t.Id));
        Assert.Equal([aliceGrid.Id], (await catalog.ListGridsAsync(alice, new GridQuery())).Items.Select(g => g.Id));
        // Asking for someone else's things by name shows nothing, not even whether they exist.
        Assert.Empty((await catalog.ListTasksAsync(bob, new TaskQuery(UserId: alice.UserId))).Items);
        Assert.Empty((await catalog.ListGridsAsync(bob, new GridQuery(UserId: alice.UserId))).Items);
        Assert.Equal(bobTasks.Count, (await catalog.ListTasksAsync(bob, new TaskQuery(UserId: bob.UserId))).Items.Count);

        Assert.Equal(aliceTasks.AsEnumerable().Reverse(), (await catalog.ListTasksAsync(admin, new TaskQuery(UserId: alice.UserId))).Items.Select(t => t.Id));
        Assert.Equal([bobGrid.Id], (await catalog.ListGridsAsync(admin, new GridQuery(UserId: bob.UserId))).Items.Select(g => g.Id));
        var everything = await AllPagesAsync(cursor => catalog.ListTasksAsync(admin, new TaskQuery(Limit: PageLimits.Max, Cursor: cursor)), PageLimits.Max);
        Assert.Superset(aliceTasks.Concat(bobTasks).ToHashSet(), everything.Select(t => t.Id).ToHashSet());
    }

    private static async Task AssertNamesAsync<T>(string field, Func<Task<T>> list)
    {
        var refused = await Assert.ThrowsAsync<RequestValidationException>(list);
        Assert.Equal([field], refused.Errors.Keys);
    }
}
