using TaskGrid.Access;
using TaskGrid.Artifacts;
using TaskGrid.Validation;

namespace TaskGrid.Grains.Artifacts;

/// <summary>One artifact. Each method is one statement or one transaction that locks the artifact's row.</summary>
internal sealed class ArtifactGrain(Guid id, GrainServices services) : IArtifactGrain
{
    public Guid Id => id;

    public Task<ArtifactView> GetAsync(Caller caller, CancellationToken cancellationToken = default) =>
        services.Artifacts.GetAsync(caller.OwnerScope, id, cancellationToken);

    public Task<ArtifactContent> OpenContentAsync(Caller caller, CancellationToken cancellationToken = default) =>
        services.Artifacts.OpenAsync(caller.OwnerScope, id, cancellationToken);

    public Task<ArtifactView> RenameAsync(Caller caller, RenameArtifactRequest request, CancellationToken cancellationToken = default)
    {
        ArtifactRequestValidator.ThrowIfInvalid(request);
        return services.Artifacts.RenameAsync(caller.OwnerScope, id, request.Name!.Trim(), cancellationToken);
    }

    public Task DeleteAsync(Caller caller, CancellationToken cancellationToken = default) =>
        services.Artifacts.DeleteAsync(caller.OwnerScope, id, cancellationToken);
}
