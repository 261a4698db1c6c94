namespace TaskGrid.Grains.Artifacts;

/// <summary>
/// Where artifact bytes live. Everything else about artifacts (owners, names, which content is
/// stored under which key, who still needs it) stays in PostgreSQL; a store only keeps bytes
/// under keys it chooses. The shipped store writes chunked rows into the cluster's own
/// database; an S3-compatible store would write objects (a multipart upload per staged
/// content) and register itself with <c>services.AddSingleton&lt;IArtifactStore, ...&gt;()</c>,
/// chosen by <see cref="ArtifactOptions.Store"/>.
/// </summary>
public interface IArtifactStore
{
    /// <summary>The store's name, as <see cref="ArtifactOptions.Store"/> and the <c>artifact_blobs.store</c> column spell it.</summary>
    string Name { get; }

    /// <summary>
    /// Streams <paramref name="content"/> into the store under a new key while hashing it, never
    /// holding more than a chunk in memory. The bytes are staged: nothing refers to them until
    /// the caller records them, and an upload never recorded is removed by
    /// <see cref="DeleteAbandonedAsync"/>. Throws <see cref="Errors.RequestTooLargeException"/>
    /// past <paramref name="maxBytes"/> (keeping nothing).
    /// </summary>
    Task<StagedContent> WriteAsync(Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>A stream over the <paramref name="size"/> bytes stored under <paramref name="key"/>, read as it is consumed.</summary>
    Task<Stream> OpenReadAsync(string key, long size, CancellationToken cancellationToken);

    /// <summary>Deletes the bytes under <paramref name="key"/>; nothing happens if there are none.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes staged bytes older than <paramref name="age"/> that were never recorded, at most <paramref name="batch"/> uploads; returns how many.</summary>
    Task<int> DeleteAbandonedAsync(TimeSpan age, int batch, CancellationToken cancellationToken);
}

/// <summary>Bytes written to a store but not yet recorded as an artifact's content.</summary>
/// <param name="Key">Where the store keeps them.</param>
/// <param name="Sha256">Their SHA-256.</param>
/// <param name="Size">Their length.</param>
public sealed record StagedContent(string Key, byte[] Sha256, long Size);
