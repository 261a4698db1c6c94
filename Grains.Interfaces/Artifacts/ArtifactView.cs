namespace TaskGrid.Artifacts;

/// <summary>
/// A stored file as the API shows it. Artifacts are content-addressed per owner: the same
/// bytes uploaded twice by one owner are one artifact with one id.
/// </summary>
/// <param name="Id">The artifact id (use it as a script task's <c>artifact_id</c>).</param>
/// <param name="UserId">The owner.</param>
/// <param name="Name">A file name for people, as given at upload (or the path under <c>out/</c> for a task's output).</param>
/// <param name="Size">Length in bytes.</param>
/// <param name="Sha256">SHA-256 of the content, lower-case hex; also the content's ETag.</param>
/// <param name="ContentType">The media type given at upload, if any (downloads are always served as <c>application/octet-stream</c>).</param>
/// <param name="Uploaded">Whether the owner uploaded it; false for a file only a task wrote.</param>
/// <param name="TaskId">The task that first wrote it under <c>out/</c>, if a task did.</param>
/// <param name="CreatedAt">When it was first stored for this owner.</param>
public sealed record ArtifactView(
    Guid Id,
    string UserId,
    string Name,
    long Size,
    string Sha256,
    string? ContentType,
    bool Uploaded,
    Guid? TaskId,
    DateTimeOffset CreatedAt);
