using TaskGrid.Tasks;

namespace TaskGrid.Logs;

/// <summary>A page of a task's log and the task's status, read together.</summary>
/// <param name="Items">The lines, oldest first.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> to continue after this page (also once the task prints more).</param>
/// <param name="HasMore">Whether more lines exist now beyond this page.</param>
/// <param name="TaskStatus">
/// The task's status when the page was read. Every line an attempt printed is stored before
/// its outcome is recorded, so once this is terminal and <see cref="HasMore"/> is false the
/// log is complete.
/// </param>
public sealed record TaskLogPage(IReadOnlyList<TaskLogLine> Items, string NextCursor, bool HasMore, TaskState TaskStatus);
