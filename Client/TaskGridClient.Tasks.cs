using TaskGrid.Client.Http;
using TaskGrid.Paging;
using TaskGrid.Tasks;

namespace TaskGrid.Client;

public sealed partial class TaskGridClient
{
    /// <summary>Submits a task (<c>POST /v1/tasks</c>); it starts pending.</summary>
    /// <param name="request">The task: <c>codegen</c> needs objective and language, <c>script</c> needs source and interpreter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new task.</returns>
    /// <exception cref="TaskGridApiException">400 naming the bad fields; 429 when the owner has too many pending tasks.</exception>
    public Task<TaskView> SubmitTaskAsync(SubmitTaskRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync<TaskView, SubmitTaskRequest>(HttpMethod.Post, "v1/tasks", request, cancellationToken);
    }

    /// <summary>Gets a task (<c>GET /v1/tasks/{id}</c>).</summary>
    /// <param name="id">The task id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TaskGridApiException">404 when the task does not exist or the key may not see it.</exception>
    public Task<TaskView> GetTaskAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<TaskView>($"v1/tasks/{id}", cancellationToken);

    /// <summary>Gets one page of tasks, newest first (<c>GET /v1/tasks</c>).</summary>
    /// <param name="query">Filters, page size (<see cref="TaskQuery.Limit"/>, up to 500) and the cursor of the previous page. Default: the first 50 tasks the key may see.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<Page<TaskView>> GetTasksPageAsync(TaskQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new TaskQuery();
        var parameters = new QueryString()
            .Add("user_id", query.UserId)
            .Add("status", query.Status?.ToName())
            .Add("grid_id", query.GridId)
            .Add("limit", query.Limit)
            .Add("cursor", query.Cursor);
        return GetAsync<Page<TaskView>>($"v1/tasks{parameters}", cancellationToken);
    }

    /// <summary>
    /// Every task matching <paramref name="query"/>, newest first, fetched page by page as the
    /// enumeration goes (<see cref="TaskQuery.Limit"/> is the page size, not a total).
    /// </summary>
    /// <param name="query">Filters and page size. Default: every task the key may see, 50 per page.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    public IAsyncEnumerable<TaskView> ListTasksAsync(TaskQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new TaskQuery();
        return PageThroughAsync(query.Cursor, (cursor, ct) => GetTasksPageAsync(query with { Cursor = cursor }, ct), cancellationToken);
    }

    /// <summary>Cancels a pending or running task (<c>POST /v1/tasks/{id}/cancel</c>).</summary>
    /// <param name="id">The task id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, now cancelled.</returns>
    /// <exception cref="TaskGridApiException">404 for an unknown task; 409 when it already finished.</exception>
    public Task<TaskView> CancelTaskAsync(Guid id, CancellationToken cancellationToken = default) =>
        PostAsync<TaskView>($"v1/tasks/{id}/cancel", cancellationToken);

    /// <summary>Puts a failed, cancelled or expired task back to pending (<c>POST /v1/tasks/{id}/retry</c>).</summary>
    /// <param name="id">The task id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, pending again with a fresh attempt budget.</returns>
    /// <exception cref="TaskGridApiException">404 for an unknown task; 409 when it is pending, running or completed.</exception>
    public Task<TaskView> RetryTaskAsync(Guid id, CancellationToken cancellationToken = default) =>
        PostAsync<TaskView>($"v1/tasks/{id}/retry", cancellationToken);

    /// <summary>A task's recorded state changes, oldest first (<c>GET /v1/tasks/{id}/events</c>).</summary>
    /// <param name="id">The task id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<TaskEventView>> GetTaskEventsAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<TaskEventView>>($"v1/tasks/{id}/events", cancellationToken);
}
