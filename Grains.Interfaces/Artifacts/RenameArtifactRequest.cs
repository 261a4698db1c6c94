namespace TaskGrid.Artifacts;

/// <summary>A new name for an artifact.</summary>
public sealed record RenameArtifactRequest
{
    /// <summary>The new name, 1..255 characters.</summary>
    public string? Name { get; init; }
}
