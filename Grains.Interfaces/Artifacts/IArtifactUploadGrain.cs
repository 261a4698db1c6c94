using TaskGrid.Access;

namespace TaskGrid.Artifacts;

/// <summary>
/// Stores uploaded files (a stateless worker in Orleans terms). The bytes are streamed to the
/// store while their SHA-256 is computed, so a large file is never held in memory. Throws
/// <see cref="Errors.RequestTooLargeException"/> past the configured size limit.
/// </summary>
public interface IArtifactUploadGrain
{
    /// <summary>
    /// Stores <paramref name="content"/> for the caller (or, for an admin, the named owner). The
    /// owner's existing artifact with the same bytes is answered unchanged.
    /// </summary>
    Task<ArtifactSaved> UploadAsync(Caller caller, ArtifactUpload upload, Stream content, CancellationToken cancellationToken = default);
}
