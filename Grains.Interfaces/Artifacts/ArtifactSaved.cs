namespace TaskGrid.Artifacts;

/// <summary>The result of storing a file.</summary>
/// <param name="Artifact">The artifact the bytes are stored as.</param>
/// <param name="Created">True when this upload created it; false when the owner already had the same bytes (the existing artifact, unchanged).</param>
public sealed record ArtifactSaved(ArtifactView Artifact, bool Created);
