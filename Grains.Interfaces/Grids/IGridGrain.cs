using TaskGrid.Access;
using TaskGrid.Paging;
using TaskGrid.Tasks;

namespace TaskGrid.Grids;

/// <summary>
/// One grid, keyed by its id. Each method is one turn on the grid's row; operations on the
/// whole grid change its tasks in the same transaction. Throws the same errors as
/// <see cref="ITaskGrain"/>.
/// </summary>
public interface IGridGrain
{
    /// <summary>The grid's id.</summary>
    Guid Id { get; }

    /// <summary>Creates the grid with any tasks or matrix it names.</summary>
    Task<GridView> CreateAsync(Caller caller, CreateGridRequest request, CancellationToken cancellationToken = default);

    /// <summary>The grid with its counts, progress, throughput and ETA.</summary>
    Task<GridView> GetAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>Adds tasks in one database round trip. Refused (409) on a cancelled grid.</summary>
    Task<AddedTasks> AddTasksAsync(Caller caller, IReadOnlyList<SubmitTaskRequest> tasks, CancellationToken cancellationToken = default);

    /// <summary>The grid's tasks, newest first.</summary>
    Task<Page<TaskView>> ListTasksAsync(Caller caller, TaskQuery query, CancellationToken cancellationToken = default);

    /// <summary>Changes the grid's window (active_from, retire_at); takes effect at once.</summary>
    Task<GridView> UpdateAsync(Caller caller, UpdateGridRequest request, CancellationToken cancellationToken = default);

    /// <summary>Stops claiming the grid's tasks; running ones finish.</summary>
    Task<GridChange> PauseAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>Resumes claiming a paused grid's tasks.</summary>
    Task<GridChange> ResumeAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>Cancels the grid and every unfinished task of it.</summary>
    Task<GridChange> CancelAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>Puts the grid's failed and expired tasks back to pending.</summary>
    Task<GridChange> RetryFailedAsync(Caller caller, CancellationToken cancellationToken = default);
}
