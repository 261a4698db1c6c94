namespace TaskGrid.Tasks;

/// <summary>The input of a <c>script</c> task: inline <see cref="Source"/> or an uploaded <see cref="ArtifactId"/>, never both.</summary>
/// <param name="Interpreter">The interpreter that runs the script, for example <c>bash</c>.</param>
/// <param name="Source">The script text, when given inline.</param>
/// <param name="Args">Arguments passed to the script.</param>
/// <param name="Env">Extra environment variables.</param>
/// <param name="ArtifactId">The artifact holding the script, when it was uploaded.</param>
public sealed record ScriptSpec(
    string Interpreter,
    string? Source,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    Guid? ArtifactId = null);
