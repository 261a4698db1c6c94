namespace TaskGrid.Artifacts;

/// <summary>An artifact's metadata and a stream of its bytes, read from the store as it is consumed. Dispose it.</summary>
public sealed class ArtifactContent : IAsyncDisposable
{
    /// <summary>Wraps an opened artifact.</summary>
    /// <param name="artifact">The artifact.</param>
    /// <param name="content">Its bytes, <see cref="ArtifactView.Size"/> of them.</param>
    public ArtifactContent(ArtifactView artifact, Stream content)
    {
        Artifact = artifact;
        Content = content;
    }

    /// <summary>The artifact.</summary>
    public ArtifactView Artifact { get; }

    /// <summary>Its bytes.</summary>
    public Stream Content { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
