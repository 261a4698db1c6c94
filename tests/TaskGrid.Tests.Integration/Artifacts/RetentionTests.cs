using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TaskGrid.Access;
using TaskGrid.Artifacts;
using TaskGrid.Errors;
using TaskGrid.Grains.Artifacts;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Grains.Retention;
using TaskGrid.Tasks;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Integration.Artifacts;

/// <summary>Retention on a moved clock: what is old goes, what is recent or still wanted stays, one silo at a time.</summary>
public sealed class RetentionTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly Caller s_owner = new("retention-owner", CallerRole.User);

    [Fact]
    public async Task Old_logs_finished_tasks_their_unreferenced_outputs_and_abandoned_uploads_are_deleted()
    {
        var clock = new ManualTimeProvider();
        await using var services = database.CreateServices(clock);
        var grains = services.GetRequiredService<IGrainFactory>();
        var artifacts = services.GetRequiredService<ArtifactRepository>();
        var retention = services.GetRequiredService<ClusterRetention>();

        var old = await grains.Task(Guid.CreateVersion7()).SubmitAsync(s_owner, new SubmitTaskRequest { Kind = TaskKinds.Noop });
        await grains.Task(old.Id).CancelAsync(s_owner);
        var output = (await artifacts.SaveAsync(new NewArtifact(s_owner.UserId, "result.txt", null, Uploaded: false, new TaskOutput(old.Id, "out/result.txt")),
            new MemoryStream("42"u8.ToArray()), CancellationToken.None)).Artifact;
        var uploaded = (await grains.ArtifactUploads().UploadAsync(s_owner, new ArtifactUpload("keep.txt"), new MemoryStream("keep me"u8.ToArray()))).Artifact;
        await database.ExecuteAsync("insert into task_logs (task_id, attempt, at, stream, line) values (@id, 1, @at, 'stdout', 'hello')",
            ("id", old.Id), ("at", clock.GetUtcNow()));
        await artifacts.CurrentStore.WriteAsync(new MemoryStream(new byte[100]), 1000, CancellationToken.None);

        var early = await retention.RunOnceAsync(CancellationToken.None);
        Assert.NotNull(early);
        Assert.False(early.DeletedAny);

        clock.Advance(TimeSpan.FromDays(31));
        var recent = await grains.Task(Guid.CreateVersion7()).SubmitAsync(s_owner, new SubmitTaskRequest { Kind = TaskKinds.Noop });
        await grains.Task(recent.Id).CancelAsync(s_owner);
        var pass = await retention.RunOnceAsync(CancellationToken.None);

        Assert.Equal(new RetentionPass(LogLines: 1, Tasks: 1, Artifacts: 1, Contents: 1, AbandonedUploads: 1), pass);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => grains.Task(old.Id).GetAsync(Caller.System));
        Assert.Equal(0, await database.ScalarAsync<long>("select count(*) from task_events where task_id = @id", ("id", old.Id)));
        Assert.Equal(0, await database.ScalarAsync<long>("select count(*) from task_artifacts where task_id = @id", ("id", old.Id)));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => grains.Artifact(output.Id).GetAsync(s_owner));
        Assert.Equal(TaskState.Cancelled, (await grains.Task(recent.Id).GetAsync(s_owner)).Status);
        // What the owner uploaded stays, bytes and all.
        await using (var content = await grains.Artifact(uploaded.Id).OpenContentAsync(s_owner))
        using (var reader = new StreamReader(content.Content))
        {
            Assert.Equal("keep me", await reader.ReadToEndAsync());
        }
        Assert.Equal(1, await database.ScalarAsync<long>("select count(*) from artifact_chunks"));
        Assert.False((await retention.RunOnceAsync(CancellationToken.None))!.DeletedAny);
    }

    [Fact]
    public async Task Only_one_silo_at_a_time_does_the_retention_duty()
    {
        await using var services = database.CreateServices();
        var retention = services.GetRequiredService<ClusterRetention>();
        await using var other = await database.DataSource.OpenConnectionAsync();
        await using (var hold = new Npgsql.NpgsqlCommand("select pg_advisory_lock(@key)", other))
        {
            hold.Parameters.AddWithValue("key", RetentionQueries.LockKey);
            await hold.ExecuteNonQueryAsync();
        }

        Assert.Null(await retention.RunOnceAsync(CancellationToken.None));

        await using (var release = new Npgsql.NpgsqlCommand("select pg_advisory_unlock(@key)", other))
        {
            release.Parameters.AddWithValue("key", RetentionQueries.LockKey);
            await release.ExecuteNonQueryAsync();
        }
        Assert.NotNull(await retention.RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_pass_stalled_between_its_statements_loses_the_duty_to_another_silo()
    {
        var store = new StallingArtifactStore();
        await using var stalledSilo = database.CreateServices(
            settings: new Dictionary<string, string?>
            {
                ["TaskGrid:Artifacts:Store"] = StallingArtifactStore.StoreName,
                ["TaskGrid:Retention:StalledPassTimeout"] = "00:00:03",
            },
            configure: services => services.AddSingleton<IArtifactStore>(store));
        await using var otherSilo = database.CreateServices();
        var other = otherSilo.GetRequiredService<ClusterRetention>();

        // The pass holds the duty and stalls in its last step, its connection idle, as a frozen silo's would.
        var stalledPass = stalledSilo.GetRequiredService<ClusterRetention>().RunOnceAsync(CancellationToken.None);
        await store.Entered.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Null(await other.RunOnceAsync(CancellationToken.None));

        RetentionPass? taken = null;
        await Eventually.HoldsAsync(async () => (taken = await other.RunOnceAsync(CancellationToken.None)) is not null,
            TimeSpan.FromSeconds(60), "another silo takes the retention duty from the stalled pass");
        Assert.NotNull(taken);

        // When the stalled pass wakes, its connection is gone: it ends with an error, not a second holder.
        store.Release();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => stalledPass);
    }

    [Fact]
    public async Task A_pass_leaves_no_idle_limit_on_the_pooled_connections_it_returns()
    {
        // Two connections in the pool (the least allowed): after the pass, both are the ones it could have used.
        await using var services = database.CreateServices(settings: new Dictionary<string, string?> { ["TaskGrid:Database:MaxPoolSize"] = "2" });
        Assert.NotNull(await services.GetRequiredService<ClusterRetention>().RunOnceAsync(CancellationToken.None));

        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await using var first = await dataSource.OpenConnectionAsync();
        await using var second = await dataSource.OpenConnectionAsync();
        foreach (var connection in new[] { first, second })
        {
            await using var show = new NpgsqlCommand("show idle_session_timeout", connection);
            Assert.Equal("0", await show.ExecuteScalarAsync());
        }
    }

    private sealed class StallingArtifactStore : IArtifactStore
    {
        public const string StoreName = "stalling";
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => StoreName;

        public Task Entered => _entered.Task;

        public void Release() => _release.TrySetResult();

        public async Task<int> DeleteAbandonedAsync(TimeSpan age, int batch, CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            await _release.Task;
            return 0;
        }

        public Task<StagedContent> WriteAsync(Stream content, long maxBytes, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Stream> OpenReadAsync(string key, long size, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(string key, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
