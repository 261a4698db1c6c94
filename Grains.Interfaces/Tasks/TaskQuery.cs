namespace TaskGrid.Tasks;

/// <summary>A filter over tasks, newest first.</summary>
/// <param name="UserId">Only this owner's tasks; null for every owner the caller may see.</param>
/// <param name="Status">Only tasks in this state.</param>
/// <param name="GridId">Only tasks of this grid.</param>
/// <param name="Limit">Page size, 1..500.</param>
/// <param name="Cursor">The <see cref="Paging.Page{T}.NextCursor"/> of the previous page.</param>
public sealed record TaskQuery(
    string? UserId = null,
    TaskState? Status = null,
    Guid? GridId = null,
    int Limit = 50,
    string? Cursor = null);
