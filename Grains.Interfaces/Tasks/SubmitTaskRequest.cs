namespace TaskGrid.Tasks;

/// <summary>
/// A task to run. Only <see cref="Kind"/>-relevant fields are read: <c>codegen</c> needs
/// <see cref="Objective"/> and <see cref="Language"/>; <c>script</c> needs <see cref="Interpreter"/>
/// and exactly one of <see cref="Source"/> and <see cref="ArtifactId"/>. Every field is optional on the wire so that a missing one is
/// reported by name instead of failing deserialization.
/// </summary>
public sealed record SubmitTaskRequest
{
    /// <summary>The owner. Only honoured when the caller may act for other users; otherwise the caller owns the task.</summary>
    public string? UserId { get; init; }

    /// <summary>The executor that runs the task. Default: <c>codegen</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>What the code should do (codegen). Up to 20,000 characters.</summary>
    public string? Objective { get; init; }

    /// <summary>The programming language to write it in (codegen), for example <c>python</c>.</summary>
    public string? Language { get; init; }

    /// <summary>Higher runs first. Range -1000..1000. Default: the grid's priority, or 0.</summary>
    public int? Priority { get; init; }

    /// <summary>How many times the task may be attempted before it fails for good. Range 1..100. Default: 3.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>
    /// Seconds the task may wait to start before it expires. Default: 300 for a single task,
    /// the grid's setting (none unless set) for a task in a grid.
    /// </summary>
    public int? TtlSeconds { get; init; }

    /// <summary>Wall-clock limit of one attempt, in seconds. Range 1..86400. Default: the executor's own.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>The script text (script), for small scripts. Up to 256 KiB. Give this or <see cref="ArtifactId"/>.</summary>
    public string? Source { get; init; }

    /// <summary>An uploaded artifact of the task's owner holding the script (script). Give this or <see cref="Source"/>.</summary>
    public Guid? ArtifactId { get; init; }

    /// <summary>The interpreter that runs the script (script): <c>bash</c>, <c>sh</c>, <c>python3</c>, <c>node</c>.</summary>
    public string? Interpreter { get; init; }

    /// <summary>Arguments passed to the script (script).</summary>
    public IReadOnlyList<string>? Args { get; init; }

    /// <summary>Extra environment variables for the script (script).</summary>
    public IReadOnlyDictionary<string, string>? Env { get; init; }
}
