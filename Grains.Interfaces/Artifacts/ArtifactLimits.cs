namespace TaskGrid.Artifacts;

/// <summary>Bounds on artifact metadata.</summary>
public static class ArtifactLimits
{
    /// <summary>Longest artifact name, in characters.</summary>
    public const int NameMaxLength = 255;

    /// <summary>Longest content type, in characters.</summary>
    public const int ContentTypeMaxLength = 255;

    /// <summary>The name of an artifact uploaded without one.</summary>
    public const string DefaultName = "artifact";
}
