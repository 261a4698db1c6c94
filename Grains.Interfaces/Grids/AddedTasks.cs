namespace TaskGrid.Grids;

/// <summary>The result of adding tasks to a grid.</summary>
/// <param name="GridId">The grid.</param>
/// <param name="Added">How many tasks were added.</param>
/// <param name="TaskIds">Their ids, in the order they were given.</param>
public sealed record AddedTasks(Guid GridId, int Added, IReadOnlyList<Guid> TaskIds);
