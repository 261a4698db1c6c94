using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using TaskGrid.Access;
using TaskGrid.Artifacts;
using TaskGrid.Errors;
using TaskGrid.Tasks;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Integration.Artifacts;

/// <summary>The PostgreSQL artifact store: content-addressed per owner, stored once, streamed, owner-scoped, protected while in use.</summary>
public sealed class ArtifactStoreTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly Caller s_alice = new("alice-store", CallerRole.User);
    private static readonly Caller s_bob = new("bob-store", CallerRole.User);

    [Fact]
    public async Task The_same_bytes_are_one_artifact_per_owner_and_one_stored_content_across_owners()
    {
        await using var services = database.CreateServices();
        var grains = services.GetRequiredService<IGrainFactory>();
        var bytes = RandomNumberGenerator.GetBytes((3 * 1024 * 1024) + 17);

        var first = await grains.ArtifactUploads().UploadAsync(s_alice, new ArtifactUpload("data.bin", "application/octet-stream"), new MemoryStream(bytes));
        var again = await grains.ArtifactUploads().UploadAsync(s_alice, new ArtifactUpload("renamed.bin"), new MemoryStream(bytes));
        var bobs = await grains.ArtifactUploads().UploadAsync(s_bob, new ArtifactUpload("mine.bin"), new MemoryStream(bytes));

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Artifact, again.Artifact);
        Assert.True(bobs.Created);
        Assert.NotEqual(first.Artifact.Id, bobs.Artifact.Id);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), first.Artifact.Sha256);
        Assert.Equal(bytes.Length, first.Artifact.Size);
        var sha = Convert.FromHexString(first.Artifact.Sha256);
        Assert.Equal(1, await database.ScalarAsync<long>("select count(*) from artifact_blobs where sha256 = @sha", ("sha", sha)));
        Assert.Equal(4, await ChunksOfAsync(sha));
        Assert.Equal(0, await StagedChunksAsync());

        await using (var content = await grains.Artifact(first.Artifact.Id).OpenContentAsync(s_alice))
        {
            var copy = new MemoryStream();
            await content.Content.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
        }
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => grains.Artifact(first.Artifact.Id).GetAsync(s_bob));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => grains.Artifact(first.Artifact.Id).OpenContentAsync(s_bob));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => grains.Artifact(first.Artifact.Id).DeleteAsync(s_bob));

        await grains.Artifact(first.Artifact.Id).DeleteAsync(s_alice);
        Assert.Equal(4, await ChunksOfAsync(sha));
        await grains.Artifact(bobs.Artifact.Id).DeleteAsync(s_bob);
        Assert.Equal(0, await database.ScalarAsync<long>("select count(*) from artifact_blobs where sha256 = @sha", ("sha", sha)));
        Assert.Equal(0, await database.ScalarAsync<long>("select count(*) from artifact_chunks"));
    }

    [Fact]
    public async Task An_artifact_over_the_size_limit_is_refused_and_leaves_nothing_behind()
    {
        await using var services = database.CreateServices(settings: new Dictionary<string, string?>
        {
            ["TaskGrid:Artifacts:MaxBytes"] = "1000000",
            ["TaskGrid:Artifacts:Postgres:ChunkSize"] = "65536",
        });
        var grains = services.GetRequiredService<IGrainFactory>();

        await Assert.ThrowsAsync<RequestTooLargeException>(() =>
            grains.ArtifactUploads().UploadAsync(s_alice, new ArtifactUpload("big.bin"), new MemoryStream(new byte[1_000_001])));

        Assert.Equal(0, await StagedChunksAsync());
        var exact = await grains.ArtifactUploads().UploadAsync(s_alice, new ArtifactUpload("exact.bin"), new MemoryStream(new byte[1_000_000]));
        Assert.Equal(1_000_000, exact.Artifact.Size);
    }

    [Fact]
    public async Task An_artifact_a_pending_task_runs_cannot_be_deleted_and_no_one_else_can_run_it()
    {
        await using var services = database.CreateServices();
        var grains = services.GetRequiredService<IGrainFactory>();
        var script = (await grains.ArtifactUploads().UploadAsync(s_alice, new ArtifactUpload("job.sh"), new MemoryStream("echo hi\n"u8.ToArray()))).Artifact;
        var task = await grains.Task(Guid.CreateVersion7()).SubmitAsync(s_alice,
            new SubmitTaskRequest { Kind = TaskKinds.Script, Interpreter = "bash", ArtifactId = script.Id });
        Assert.Equal(script.Id, task.Script!.ArtifactId);
        Assert.Null(task.Script.Source);

        var conflict = await Assert.ThrowsAsync<StateConflictException>(() => grains.Artifact(script.Id).DeleteAsync(s_alice));
        Assert.Contains("pending or running task", conflict.Message);
        var foreign = await Assert.ThrowsAsync<RequestValidationException>(() => grains.Task(Guid.CreateVersion7()).SubmitAsync(s_bob,
            new SubmitTaskRequest { Kind = TaskKinds.Script, Interpreter = "bash", ArtifactId = script.Id }));
        Assert.Equal(["artifact_id"], foreign.Errors.Keys.ToArray());

        await grains.Task(task.Id).CancelAsync(s_alice);
        await grains.Artifact(script.Id).DeleteAsync(s_alice);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => grains.Artifact(script.Id).GetAsync(s_alice));
    }

    private Task<long> ChunksOfAsync(byte[] sha) => database.ScalarAsync<long>(
        "select count(*) from artifact_chunks c join artifact_blobs b on b.key = c.key::text where b.sha256 = @sha", ("sha", sha));

    private Task<long> StagedChunksAsync() => database.ScalarAsync<long>(
        "select count(*) from artifact_chunks c where not exists (select 1 from artifact_blobs b where b.key = c.key::text)");
}
