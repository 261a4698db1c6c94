using Microsoft.Extensions.Options;

namespace TaskGrid.Grains.Artifacts;

/// <summary>How the PostgreSQL artifact store chunks content. Section <c>TaskGrid:Artifacts:Postgres</c>.</summary>
public sealed class PostgresArtifactStoreOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:Artifacts:Postgres";

    /// <summary>Bytes written or read per statement; also what one transfer holds in memory. Default: 1 MiB.</summary>
    public int ChunkSize { get; set; } = 1024 * 1024;
}

internal sealed class PostgresArtifactStoreOptionsValidator : IValidateOptions<PostgresArtifactStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresArtifactStoreOptions options) =>
        options.ChunkSize is < 64 * 1024 or > 16 * 1024 * 1024
            ? ValidateOptionsResult.Fail($"TaskGrid:Artifacts:Postgres:ChunkSize must be between 64 KiB and 16 MiB; got {options.ChunkSize}.")
            : ValidateOptionsResult.Success;
}
