namespace TaskGrid.Tasks;

/// <summary>Names of the task kinds that ship with TaskGrid. Executors register by these names.</summary>
public static class TaskKinds
{
    /// <summary>Objective and language in, code out, through an OpenAI-compatible endpoint. The default.</summary>
    public const string Codegen = "codegen";

    /// <summary>An inline script or uploaded artifact run by an interpreter in a child process.</summary>
    public const string Script = "script";

    /// <summary>Completes at once without doing anything: for benchmarks and smoke tests.</summary>
    public const string Noop = "noop";
}
