namespace TaskGrid.Artifacts;

/// <summary>What describes an uploaded file besides its bytes.</summary>
/// <param name="Name">A file name for people, 1..255 characters. Default: <c>artifact</c>.</param>
/// <param name="ContentType">The media type, kept as metadata. Default: none.</param>
/// <param name="UserId">The owner. Only honoured when the caller may act for other users.</param>
public sealed record ArtifactUpload(string? Name = null, string? ContentType = null, string? UserId = null);
