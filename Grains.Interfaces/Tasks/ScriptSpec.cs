namespace TaskGrid.Tasks;

/// <summary>The input of a <c>script</c> task.</summary>
/// <param name="Interpreter">The interpreter that runs the script, for example <c>bash</c>.</param>
/// <param name="Source">The script text.</param>
/// <param name="Args">Arguments passed to the script.</param>
/// <param name="Env">Extra environment variables.</param>
public sealed record ScriptSpec(
    string Interpreter,
    string Source,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env);
