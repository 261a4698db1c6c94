using TaskGrid.Access;

namespace TaskGrid.Artifacts;

/// <summary>
/// One artifact, keyed by its id. A user reaches only their own artifacts; anyone else's is
/// <see cref="Errors.ResourceNotFoundException"/>, exactly as a missing one.
/// </summary>
public interface IArtifactGrain
{
    /// <summary>The artifact's id.</summary>
    Guid Id { get; }

    /// <summary>The artifact's metadata.</summary>
    Task<ArtifactView> GetAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>Opens the artifact's bytes for streaming; the caller disposes the result.</summary>
    Task<ArtifactContent> OpenContentAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>Renames the artifact (its bytes and id stay).</summary>
    Task<ArtifactView> RenameAsync(Caller caller, RenameArtifactRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the artifact, and its bytes when no other owner holds the same content. Refused
    /// with <see cref="Errors.StateConflictException"/> while a pending or running task runs it.
    /// </summary>
    Task DeleteAsync(Caller caller, CancellationToken cancellationToken = default);
}
