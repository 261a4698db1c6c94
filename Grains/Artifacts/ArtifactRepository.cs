using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using TaskGrid.Artifacts;
using TaskGrid.Errors;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Rows;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Grains.Tasks;
using TaskGrid.Paging;

namespace TaskGrid.Grains.Artifacts;

/// <summary>What describes a new artifact besides its bytes.</summary>
/// <param name="Owner">The user it belongs to.</param>
/// <param name="Name">Its name.</param>
/// <param name="ContentType">Its media type, if known.</param>
/// <param name="Uploaded">Whether the owner uploaded it (false: a task wrote it).</param>
/// <param name="Output">The task and path it was written at, for a task's output.</param>
internal sealed record NewArtifact(string Owner, string Name, string? ContentType, bool Uploaded, TaskOutput? Output = null);

/// <summary>Where a task wrote a file.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Path">The path in its scratch directory, for example <c>out/report.csv</c>.</param>
internal sealed record TaskOutput(Guid TaskId, string Path);

/// <summary>
/// Artifact metadata in PostgreSQL and bytes in the configured <see cref="IArtifactStore"/>,
/// for the artifact grains, the script executor (scripts and their outputs) and retention.
///
/// Dedupe: bytes are stored once per content (SHA-256) across all owners, and each owner who
/// holds that content has an artifact row of their own. An upload always sends, hashes and
/// stages every byte; only afterwards is the staged copy dropped in favour of an existing
/// blob. The answer, its timing and its cost to the uploader are therefore the same whether or
/// not anyone else holds the content, so dedupe across owners reveals nothing about them.
/// </summary>
internal sealed partial class ArtifactRepository(
    GrainTurns turns,
    DbClock clock,
    IEnumerable<IArtifactStore> stores,
    IOptions<ArtifactOptions> options,
    ILogger<ArtifactRepository> logger)
{
    private readonly IArtifactStore[] _stores = [.. stores];

    /// <summary>The largest artifact accepted.</summary>
    public long MaxBytes => options.Value.MaxBytes;

    /// <summary>The store new content goes to.</summary>
    public IArtifactStore CurrentStore => StoreNamed(options.Value.Store);

    /// <summary>Streams <paramref name="content"/> into the store and records it as the owner's artifact (or answers the owner's existing one).</summary>
    public async Task<ArtifactSaved> SaveAsync(NewArtifact artifact, Stream content, CancellationToken cancellationToken)
    {
        var store = CurrentStore;
        var staged = await store.WriteAsync(content, MaxBytes, cancellationToken);
        var id = Guid.CreateVersion7();
        // If this turn fails, the staged bytes are left for the abandoned-upload sweep: a commit
        // whose reply was lost may have recorded them, so deleting here could lose content.
        var (saved, adopted) = await turns.RunAsync("artifact.save", async (connection, transaction) =>
        {
            (string Store, string Key)? blob = null;
            // The blob may be deleted by its last other owner between our insert and our lock;
            // then the insert succeeds on the next round.
            while (blob is null)
            {
                await using (var insert = new NpgsqlCommand(ArtifactQueries.BlobInsertIfMissing, connection, transaction)
                    .With("sha256", staged.Sha256).With("size", staged.Size).With("store", store.Name).With("key", staged.Key).WithNow(clock))
                {
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }
                blob = await LockBlobAsync(connection, transaction, staged.Sha256, cancellationToken);
            }
            await using var upsert = new NpgsqlCommand(ArtifactQueries.ArtifactUpsert, connection, transaction)
                .With("id", id).With("user_id", artifact.Owner).With("sha256", staged.Sha256).With("name", artifact.Name)
                .With("size", staged.Size).WithNullable("content_type", artifact.ContentType, NpgsqlDbType.Text)
                .With("uploaded", artifact.Uploaded).WithNullable("task_id", artifact.Output?.TaskId, NpgsqlDbType.Uuid)
                .WithNow(clock);
            var view = (await ArtifactReader.ReadSingleAsync(upsert, cancellationToken))!;
            if (artifact.Output is { } output)
            {
                await using var link = new NpgsqlCommand(ArtifactQueries.TaskArtifactLink, connection, transaction)
                    .With("task_id", output.TaskId).With("path", output.Path).With("artifact_id", view.Id).WithNow(clock);
                await link.ExecuteNonQueryAsync(cancellationToken);
            }
            return (new ArtifactSaved(view, view.Id == id), blob.Value == (store.Name, staged.Key));
        }, cancellationToken);
        if (!adopted)
        {
            await TryDeleteContentAsync(store, staged.Key);
        }
        return saved;
    }

    public Task<ArtifactView> GetAsync(string? ownerScope, Guid id, CancellationToken cancellationToken) =>
        turns.RunStatementAsync("artifact.get", async connection =>
        {
            await using var command = new NpgsqlCommand(ArtifactQueries.ArtifactSelect, connection).With("id", id).WithOwner(ownerScope);
            return await ArtifactReader.ReadSingleAsync(command, cancellationToken) ?? throw NotFound(id);
        }, cancellationToken);

    /// <summary>Opens an artifact of <paramref name="ownerScope"/> (any owner when null) for reading.</summary>
    public async Task<ArtifactContent> OpenAsync(string? ownerScope, Guid id, CancellationToken cancellationToken)
    {
        var (artifact, storeName, key) = await turns.RunStatementAsync("artifact.open", async connection =>
        {
            await using var command = new NpgsqlCommand(ArtifactQueries.ArtifactSelectWithBlob, connection).With("id", id).WithOwner(ownerScope);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? (ArtifactReader.Read(reader), reader.GetString(ArtifactReader.ColumnCount), reader.GetString(ArtifactReader.ColumnCount + 1))
                : throw NotFound(id);
        }, cancellationToken);
        var content = await StoreNamed(storeName).OpenReadAsync(key, artifact.Size, cancellationToken);
        return new ArtifactContent(artifact, content);
    }

    public Task<ArtifactView> RenameAsync(string? ownerScope, Guid id, string name, CancellationToken cancellationToken) =>
        turns.RunStatementAsync("artifact.rename", async connection =>
        {
            await using var command = new NpgsqlCommand(ArtifactQueries.ArtifactRename, connection)
                .With("id", id).With("name", name).WithOwner(ownerScope);
            return await ArtifactReader.ReadSingleAsync(command, cancellationToken) ?? throw NotFound(id);
        }, cancellationToken);

    /// <summary>Deletes an artifact (refused while a pending or running task runs it), and its content when no one else holds it.</summary>
    public async Task DeleteAsync(string? ownerScope, Guid id, CancellationToken cancellationToken)
    {
        var content = await turns.RunAsync("artifact.delete", async (connection, transaction) =>
        {
            var artifact = await SelectAsync(connection, transaction, ownerScope, id, forUpdate: false, cancellationToken) ?? throw NotFound(id);
            var sha256 = Convert.FromHexString(artifact.Sha256);
            // Blob first, then artifact: the order every writer of both takes.
            await LockBlobAsync(connection, transaction, sha256, cancellationToken);
            _ = await SelectAsync(connection, transaction, ownerScope, id, forUpdate: true, cancellationToken) ?? throw NotFound(id);
            await using (var inUse = new NpgsqlCommand(ArtifactQueries.ArtifactInUse, connection, transaction).With("id", id))
            {
                if (await inUse.ExecuteScalarAsync(cancellationToken) is true)
                {
                    throw new StateConflictException(
                        $"Artifact {id} is the script of a pending or running task. Cancel those tasks or let them finish, then delete it.");
                }
            }
            await using (var delete = new NpgsqlCommand(ArtifactQueries.ArtifactDelete, connection, transaction).With("id", id))
            {
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var deleteBlob = new NpgsqlCommand(ArtifactQueries.BlobDeleteIfUnreferenced, connection, transaction).With("sha256", sha256);
            await using var reader = await deleteBlob.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetString(1)) : ((string Store, string Key)?)null;
        }, cancellationToken);
        if (content is { } gone)
        {
            await TryDeleteContentAsync(StoreNamed(gone.Store), gone.Key);
        }
    }

    public Task<Page<ArtifactView>> ListAsync(string? owner, ArtifactQuery query, CancellationToken cancellationToken)
    {
        var limit = PageCursor.CheckLimit(query.Limit);
        var after = PageCursor.Decode(query.Cursor);
        return turns.RunStatementAsync("artifact.list", async connection =>
        {
            await using var command = new NpgsqlCommand(owner is null ? ArtifactQueries.ArtifactListAll : ArtifactQueries.ArtifactListByUser, connection)
                .WithNullable("after", after, NpgsqlDbType.Uuid).With("limit", limit + 1);
            if (owner is not null)
            {
                command.WithOwner(owner);
            }
            return PageCursor.ToPage(await ArtifactReader.ReadAllAsync(command, cancellationToken), limit, a => a.Id);
        }, cancellationToken);
    }

    /// <summary>The outputs of a task whose visibility the caller has already checked.</summary>
    public static async Task<IReadOnlyList<TaskArtifactView>> ListForTaskAsync(NpgsqlConnection connection, Guid taskId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ArtifactQueries.TaskArtifactList, connection).With("task_id", taskId);
        var outputs = new List<TaskArtifactView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            outputs.Add(new TaskArtifactView(reader.GetString(0), ArtifactReader.Read(reader, first: 1)));
        }
        return outputs;
    }

    /// <summary>The store a content was written to (content outlives a change of <see cref="ArtifactOptions.Store"/>).</summary>
    public IArtifactStore StoreNamed(string name) =>
        Array.Find(_stores, s => s.Name == name)
        ?? throw new InvalidOperationException($"Artifact content is kept in store '{name}', which this process does not have; register that IArtifactStore.");

    /// <summary>Deletes content nothing refers to any more; a failure leaves it to the abandoned-upload sweep.</summary>
    public async Task TryDeleteContentAsync(IArtifactStore store, string key)
    {
        try
        {
            await store.DeleteAsync(key, CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or HttpRequestException)
        {
            LogContentNotDeleted(store.Name, key, ex.Message);
        }
    }

    private static async Task<(string Store, string Key)?> LockBlobAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, byte[] sha256, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ArtifactQueries.BlobLock, connection, transaction).With("sha256", sha256);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    private static async Task<ArtifactView?> SelectAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string? ownerScope, Guid id, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(forUpdate ? ArtifactQueries.ArtifactSelectForUpdate : ArtifactQueries.ArtifactSelect, connection, transaction)
            .With("id", id).WithOwner(ownerScope);
        return await ArtifactReader.ReadSingleAsync(command, cancellationToken);
    }

    private static ResourceNotFoundException NotFound(Guid id) => new("artifact", id.ToString());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete unreferenced content {Key} from the {Store} artifact store ({Reason}); retention will")]
    private partial void LogContentNotDeleted(string store, string key, string reason);
}
