using Npgsql;
using TaskGrid.Artifacts;

namespace TaskGrid.Grains.Persistence.Rows;

/// <summary>Maps a row of <see cref="Sql.ArtifactQueries.Columns"/> (from a given column on) to an <see cref="ArtifactView"/>.</summary>
internal static class ArtifactReader
{
    /// <summary>How many columns <see cref="Read"/> consumes.</summary>
    public const int ColumnCount = 9;

    public static ArtifactView Read(NpgsqlDataReader r, int first = 0) => new(
        Id: r.GetGuid(first),
        UserId: r.GetString(first + 1),
        Name: r.GetString(first + 2),
        Size: r.GetInt64(first + 3),
        Sha256: Convert.ToHexStringLower(r.GetFieldValue<byte[]>(first + 4)),
        ContentType: r.GetStringOrNull(first + 5),
        Uploaded: r.GetBoolean(first + 6),
        TaskId: r.IsDBNull(first + 7) ? null : r.GetGuid(first + 7),
        CreatedAt: r.GetFieldValue<DateTimeOffset>(first + 8));

    public static async Task<ArtifactView?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public static async Task<List<ArtifactView>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var artifacts = new List<ArtifactView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            artifacts.Add(Read(reader));
        }
        return artifacts;
    }
}
