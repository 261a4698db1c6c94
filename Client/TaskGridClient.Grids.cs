using TaskGrid.Client.Http;
using TaskGrid.Grids;
using TaskGrid.Paging;
using TaskGrid.Tasks;

namespace TaskGrid.Client;

public sealed partial class TaskGridClient
{
    /// <summary>Creates a grid, with any tasks or matrix it names (<c>POST /v1/grids</c>).</summary>
    /// <param name="request">The grid. One call adds at most the gateway's bulk cap of tasks (10,000 by default); add more with <see cref="AddGridTasksInBatchesAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new grid with its counts.</returns>
    /// <exception cref="TaskGridApiException">400 naming the bad fields; 413 above the bulk cap.</exception>
    public Task<GridView> CreateGridAsync(CreateGridRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync<GridView, CreateGridRequest>(HttpMethod.Post, "v1/grids", request, cancellationToken);
    }

    /// <summary>Gets a grid with its counts, progress, throughput and ETA (<c>GET /v1/grids/{id}</c>).</summary>
    /// <param name="id">The grid id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TaskGridApiException">404 when the grid does not exist or the key may not see it.</exception>
    public Task<GridView> GetGridAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<GridView>($"v1/grids/{id}", cancellationToken);

    /// <summary>Gets one page of grids, newest first (<c>GET /v1/grids</c>).</summary>
    /// <param name="query">Owner filter, page size and the cursor of the previous page. Default: the first 50 grids the key may see.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<Page<GridView>> GetGridsPageAsync(GridQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new GridQuery();
        var parameters = new QueryString().Add("user_id", query.UserId).Add("limit", query.Limit).Add("cursor", query.Cursor);
        return GetAsync<Page<GridView>>($"v1/grids{parameters}", cancellationToken);
    }

    /// <summary>Every grid matching <paramref name="query"/>, newest first, fetched page by page as the enumeration goes.</summary>
    /// <param name="query">Owner filter and page size. Default: every grid the key may see, 50 per page.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    public IAsyncEnumerable<GridView> ListGridsAsync(GridQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new GridQuery();
        return PageThroughAsync(query.Cursor, (cursor, ct) => GetGridsPageAsync(query with { Cursor = cursor }, ct), cancellationToken);
    }

    /// <summary>Adds tasks to a grid in one call (<c>POST /v1/grids/{id}/tasks</c>): all are added or none.</summary>
    /// <param name="gridId">The grid.</param>
    /// <param name="tasks">The tasks, at most the gateway's bulk cap (10,000 by default).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were added and their ids, in order.</returns>
    /// <exception cref="TaskGridApiException">400 naming the bad task fields (<c>[3].language</c>); 404 for an unknown grid; 409 for a cancelled grid; 413 above the bulk cap.</exception>
    public Task<AddedTasks> AddGridTasksAsync(Guid gridId, IReadOnlyList<SubmitTaskRequest> tasks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return SendJsonAsync<AddedTasks, IReadOnlyList<SubmitTaskRequest>>(HttpMethod.Post, $"v1/grids/{gridId}/tasks", tasks, cancellationToken);
    }

    /// <summary>Gets one page of a grid's tasks, newest first (<c>GET /v1/grids/{id}/tasks</c>).</summary>
    /// <param name="gridId">The grid.</param>
    /// <param name="query">Status filter, page size and cursor; its user and grid filters are ignored. Default: the first 50.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<Page<TaskView>> GetGridTasksPageAsync(Guid gridId, TaskQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new TaskQuery();
        var parameters = new QueryString().Add("status", query.Status?.ToName()).Add("limit", query.Limit).Add("cursor", query.Cursor);
        return GetAsync<Page<TaskView>>($"v1/grids/{gridId}/tasks{parameters}", cancellationToken);
    }

    /// <summary>Every task of a grid (optionally in one status), newest first, fetched page by page as the enumeration goes.</summary>
    /// <param name="gridId">The grid.</param>
    /// <param name="query">Status filter and page size. Default: every task, 50 per page.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    public IAsyncEnumerable<TaskView> ListGridTasksAsync(Guid gridId, TaskQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new TaskQuery();
        return PageThroughAsync(query.Cursor, (cursor, ct) => GetGridTasksPageAsync(gridId, query with { Cursor = cursor }, ct), cancellationToken);
    }

    /// <summary>Stops claiming the grid's tasks; running ones finish (<c>POST /v1/grids/{id}/pause</c>).</summary>
    /// <param name="id">The grid id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TaskGridApiException">404 for an unknown grid; 409 unless the grid is active.</exception>
    public Task<GridChange> PauseGridAsync(Guid id, CancellationToken cancellationToken = default) =>
        PostAsync<GridChange>($"v1/grids/{id}/pause", cancellationToken);

    /// <summary>Resumes a paused grid (<c>POST /v1/grids/{id}/resume</c>).</summary>
    /// <param name="id">The grid id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TaskGridApiException">404 for an unknown grid; 409 unless the grid is paused.</exception>
    public Task<GridChange> ResumeGridAsync(Guid id, CancellationToken cancellationToken = default) =>
        PostAsync<GridChange>($"v1/grids/{id}/resume", cancellationToken);

    /// <summary>Cancels the grid and its unfinished tasks (<c>POST /v1/grids/{id}/cancel</c>).</summary>
    /// <param name="id">The grid id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TaskGridApiException">404 for an unknown grid; 409 when it is already cancelled.</exception>
    public Task<GridChange> CancelGridAsync(Guid id, CancellationToken cancellationToken = default) =>
        PostAsync<GridChange>($"v1/grids/{id}/cancel", cancellationToken);

    /// <summary>Puts the grid's failed and expired tasks back to pending (<c>POST /v1/grids/{id}/retry-failed</c>).</summary>
    /// <param name="id">The grid id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TaskGridApiException">404 for an unknown grid; 409 for a cancelled grid.</exception>
    public Task<GridChange> RetryFailedGridTasksAsync(Guid id, CancellationToken cancellationToken = default) =>
        PostAsync<GridChange>($"v1/grids/{id}/retry-failed", cancellationToken);
}
