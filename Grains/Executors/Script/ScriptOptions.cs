namespace TaskGrid.Grains.Executors.Script;

/// <summary>How script tasks run on this silo. Section <c>TaskGrid:Script</c>.</summary>
public sealed class ScriptOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:Script";

    /// <summary>
    /// Interpreter names a task may ask for, mapped to the program that runs them (a path or a
    /// name found on PATH). Default: bash, sh, python3, node.
    /// </summary>
    public IDictionary<string, string> Interpreters { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["bash"] = "bash",
        ["sh"] = "sh",
        ["python3"] = "python3",
        ["node"] = "node",
    };

    /// <summary>Wall-clock limit of one attempt when the task sets none. Default: 60 seconds.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most bytes of standard output kept as the task's output; the rest is dropped and marked. Default: 1 MiB.</summary>
    public int MaxOutputBytes { get; set; } = 1024 * 1024;

    /// <summary>Where each attempt gets its own scratch directory. Default: the system temp directory's <c>taskgrid-scripts</c>.</summary>
    public string ScratchRoot { get; set; } = Path.Combine(Path.GetTempPath(), "taskgrid-scripts");
}
