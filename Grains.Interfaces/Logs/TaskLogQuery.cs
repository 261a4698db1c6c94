namespace TaskGrid.Logs;

/// <summary>A page of a task's log, oldest first.</summary>
/// <param name="Cursor">Only lines after this <see cref="TaskLogLine.Seq"/> (a page's <c>next_cursor</c>); null from the start.</param>
/// <param name="Limit">Page size, 1..500.</param>
public sealed record TaskLogQuery(string? Cursor = null, int Limit = 500);
