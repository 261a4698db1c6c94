namespace TaskGrid.Logs;

/// <summary>Where a log line came from.</summary>
public enum TaskLogStream
{
    /// <summary>The task's standard output.</summary>
    Stdout,

    /// <summary>The task's standard error.</summary>
    Stderr,

    /// <summary>The executor's own messages: claimed, calls made, retries scheduled, files saved.</summary>
    System,
}
