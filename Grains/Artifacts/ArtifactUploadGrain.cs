using TaskGrid.Access;
using TaskGrid.Artifacts;
using TaskGrid.Grains.Tasks;
using TaskGrid.Validation;

namespace TaskGrid.Grains.Artifacts;

/// <summary>Stores uploads: the owner is resolved first, then the bytes are streamed to the store and recorded.</summary>
internal sealed class ArtifactUploadGrain(GrainServices services) : IArtifactUploadGrain
{
    public async Task<ArtifactSaved> UploadAsync(Caller caller, ArtifactUpload upload, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArtifactRequestValidator.ThrowIfInvalid(upload);
        var owner = await services.Turns.RunStatementAsync("artifact.owner",
            connection => TaskOwners.ResolveAsync(connection, null, caller, upload.UserId, cancellationToken), cancellationToken);
        var name = string.IsNullOrWhiteSpace(upload.Name) ? ArtifactLimits.DefaultName : upload.Name.Trim();
        return await services.Artifacts.SaveAsync(new NewArtifact(owner, name, upload.ContentType, Uploaded: true), content, cancellationToken);
    }
}
