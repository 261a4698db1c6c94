using TaskGrid.Logs;

namespace TaskGrid.Grains.Logs;

/// <summary>The database spelling of <see cref="TaskLogStream"/> values (the <c>task_logs.stream</c> column).</summary>
internal static class TaskLogStreams
{
    public static string ToName(this TaskLogStream stream) => stream switch
    {
        TaskLogStream.Stdout => "stdout",
        TaskLogStream.Stderr => "stderr",
        TaskLogStream.System => "system",
        _ => throw new ArgumentOutOfRangeException(nameof(stream), stream, "Unknown log stream."),
    };

    public static TaskLogStream Parse(string name) => name switch
    {
        "stdout" => TaskLogStream.Stdout,
        "stderr" => TaskLogStream.Stderr,
        "system" => TaskLogStream.System,
        _ => throw new FormatException($"'{name}' is not a log stream."),
    };
}
