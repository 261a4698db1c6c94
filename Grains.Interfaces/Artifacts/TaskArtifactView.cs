namespace TaskGrid.Artifacts;

/// <summary>A file a task wrote under <c>out/</c>, saved as an artifact of the task's owner.</summary>
/// <param name="Path">Its path in the task's scratch directory, for example <c>out/report.csv</c>.</param>
/// <param name="Artifact">The artifact holding its bytes.</param>
public sealed record TaskArtifactView(string Path, ArtifactView Artifact);
