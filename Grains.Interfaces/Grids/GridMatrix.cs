using TaskGrid.Tasks;

namespace TaskGrid.Grids;

/// <summary>
/// Expands to one codegen task per objective × language combination, each built from
/// <see cref="Template"/> (which may set kind, priority, attempts and script fields).
/// </summary>
public sealed record GridMatrix
{
    /// <summary>The objectives, one task per objective and language.</summary>
    public IReadOnlyList<string>? Objectives { get; init; }

    /// <summary>The languages, one task per objective and language.</summary>
    public IReadOnlyList<string>? Languages { get; init; }

    /// <summary>Fields shared by every expanded task.</summary>
    public SubmitTaskRequest? Template { get; init; }
}
