namespace TaskGrid.Logs;

/// <summary>One line a task printed, or one message its executor wrote about it.</summary>
/// <param name="Seq">Increases with every line in the cluster; orders a task's lines and is the cursor to continue after.</param>
/// <param name="TaskId">The task.</param>
/// <param name="Attempt">The attempt that wrote it.</param>
/// <param name="At">When it was printed.</param>
/// <param name="Stream">stdout, stderr or system.</param>
/// <param name="Line">The text, without its line break.</param>
public sealed record TaskLogLine(long Seq, Guid TaskId, int Attempt, DateTimeOffset At, TaskLogStream Stream, string Line);
