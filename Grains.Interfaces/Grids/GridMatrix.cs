using TaskGrid.Tasks;

namespace TaskGrid.Grids;

/// <summary>
/// Expands to one task per combination, each built from <see cref="Template"/> (which may set
/// kind, priority, attempts and script fields). Give either <see cref="Objectives"/> and
/// <see cref="Languages"/> (codegen: one task per objective × language) or <see cref="Args"/>
/// (script: one task per combination of one value from each axis).
/// </summary>
public sealed record GridMatrix
{
    /// <summary>The objectives, one task per objective and language (codegen).</summary>
    public IReadOnlyList<string>? Objectives { get; init; }

    /// <summary>The languages, one task per objective and language (codegen).</summary>
    public IReadOnlyList<string>? Languages { get; init; }

    /// <summary>
    /// Argument axes (script): each task gets one value from every axis, appended in axis order
    /// after the template's own <c>args</c>. <c>[["a","b"],["1","2","3"]]</c> is six tasks, from
    /// <c>a 1</c> to <c>b 3</c>. The template's kind defaults to <c>script</c>.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>>? Args { get; init; }

    /// <summary>Fields shared by every expanded task.</summary>
    public SubmitTaskRequest? Template { get; init; }
}
