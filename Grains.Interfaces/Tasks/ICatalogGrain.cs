using TaskGrid.Access;
using TaskGrid.Artifacts;
using TaskGrid.Grids;
using TaskGrid.Observability;
using TaskGrid.Paging;
using TaskGrid.Users;

namespace TaskGrid.Tasks;

/// <summary>
/// Lists across many tasks and grids (a stateless-worker grain in Orleans terms): every
/// query is scoped to what the caller may see.
/// </summary>
public interface ICatalogGrain
{
    /// <summary>Tasks matching the query, newest first.</summary>
    Task<Page<TaskView>> ListTasksAsync(Caller caller, TaskQuery query, CancellationToken cancellationToken = default);

    /// <summary>Grids matching the query, newest first.</summary>
    Task<Page<GridView>> ListGridsAsync(Caller caller, GridQuery query, CancellationToken cancellationToken = default);

    /// <summary>Users, newest first (admins only).</summary>
    Task<Page<UserView>> ListUsersAsync(Caller caller, UserQuery query, CancellationToken cancellationToken = default);

    /// <summary>API keys without secrets: every key for an admin, the caller's own for a user.</summary>
    Task<IReadOnlyList<ApiKeyView>> ListApiKeysAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>Artifacts matching the query, newest first.</summary>
    Task<Page<ArtifactView>> ListArtifactsAsync(Caller caller, ArtifactQuery query, CancellationToken cancellationToken = default);

    /// <summary>Tasks that failed for good or expired recently, newest first: every user's for an admin, the caller's own for a user.</summary>
    Task<Page<TaskFailureView>> ListFailuresAsync(Caller caller, FailureQuery query, CancellationToken cancellationToken = default);

    /// <summary>Task counts per state: the cluster's for an admin, the caller's own for a user.</summary>
    Task<TaskSummary> SummarizeTasksAsync(Caller caller, CancellationToken cancellationToken = default);
}
