namespace TaskGrid.Grains.Artifacts;

/// <summary>Where artifact bytes are stored and how large an artifact may be. Section <c>TaskGrid:Artifacts</c>.</summary>
public sealed class ArtifactOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:Artifacts";

    /// <summary>
    /// The store that keeps artifact bytes: <c>postgres</c> (chunked <c>bytea</c> rows in the
    /// cluster's database) is the one that ships; another <see cref="IArtifactStore"/> (an
    /// S3-compatible one) registers itself and is named here. Default: postgres.
    /// </summary>
    public string Store { get; set; } = PostgresArtifactStore.StoreName;

    /// <summary>Largest artifact, in bytes: larger uploads get 413 and larger task outputs are not saved. Default: 100 MiB.</summary>
    public long MaxBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>An upload unfinished for this long counts as abandoned, and retention removes its bytes. Default: 6 hours.</summary>
    public TimeSpan AbandonedUploadAge { get; set; } = TimeSpan.FromHours(6);
}
