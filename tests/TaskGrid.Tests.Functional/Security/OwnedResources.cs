namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// One user's resources of every kind, and which of them stands in for each route parameter
/// that names a resource. When a route has a parameter this table does not know, the suites
/// fail with the route's name: a new kind of resource (artifacts, logs) must be added here,
/// with a resource of that kind created in the suites' setup, before it is covered.
/// </summary>
/// <param name="UserId">The user.</param>
/// <param name="TaskId">A task of theirs outside any grid.</param>
/// <param name="GridId">A grid of theirs.</param>
/// <param name="GridTaskIds">The grid's tasks.</param>
/// <param name="KeyId">An API key of theirs that the suites may revoke (not the one they call with).</param>
/// <param name="KeyPrefix">That key's visible prefix.</param>
/// <param name="Marker">A unique text in their task objectives and grid name, to spot it in any answer.</param>
/// <param name="ArtifactId">An artifact of theirs (uploaded, named after the marker).</param>
public sealed record OwnedResources(
    string UserId,
    string TaskId,
    string GridId,
    IReadOnlyList<string> GridTaskIds,
    string KeyId,
    string KeyPrefix,
    string Marker,
    string ArtifactId)
{
    // Path parameters, by the path segment before them: /v1/grids/{id}/tasks names a grid. A
    // full "template {parameter}" key overrides the segment for a route that needs another id
    // (for example a task of the grid in /v1/grids/{id}/tasks/{task_id}).
    private static readonly Dictionary<string, Func<OwnedResources, string>> s_pathIds = new(StringComparer.Ordinal)
    {
        ["tasks"] = r => r.TaskId,
        ["grids"] = r => r.GridId,
        ["users"] = r => r.UserId,
        ["api-keys"] = r => r.KeyId,
        ["artifacts"] = r => r.ArtifactId,
    };

    // Query parameters that name a resource (by convention their names end in "_id").
    private static readonly Dictionary<string, Func<OwnedResources, string>> s_queryIds = new(StringComparer.Ordinal)
    {
        ["user_id"] = r => r.UserId,
        ["grid_id"] = r => r.GridId,
    };

    /// <summary>Everything that identifies these resources, to search answers for.</summary>
    public IEnumerable<string> Traces => [UserId, TaskId, GridId, .. GridTaskIds, KeyId, KeyPrefix, Marker, ArtifactId];

    /// <summary>This user's id for the path parameter; throws, naming the route, when no resource kind is known for it.</summary>
    public string PathId(ApiRoute route, ApiParameter parameter)
    {
        if (s_pathIds.TryGetValue($"{route.Template} {{{parameter.Name}}}", out var exact))
        {
            return exact(this);
        }
        var segment = route.SegmentBefore(parameter);
        return s_pathIds.TryGetValue(segment, out var bySegment)
            ? bySegment(this)
            : throw new InvalidOperationException(
                $"{route.Name}: no resource is known for path parameter {{{parameter.Name}}} after '/{segment}/'. " +
                $"Add an entry to {nameof(OwnedResources)} (and create a resource of that kind in the suites' setup) so that isolation and hostile input cover the route.");
    }

    /// <summary>
    /// This user's id for a query parameter that names a resource (its name ends in <c>_id</c>),
    /// or null for other parameters; throws, naming the route, for an unknown <c>_id</c> parameter.
    /// </summary>
    public string? QueryId(ApiRoute route, ApiParameter parameter)
    {
        if (s_queryIds.TryGetValue(parameter.Name, out var id))
        {
            return id(this);
        }
        return parameter.Name.EndsWith("_id", StringComparison.Ordinal)
            ? throw new InvalidOperationException(
                $"{route.Name}: query parameter '{parameter.Name}' looks like it names a resource, but {nameof(OwnedResources)} has no entry for it. Add one.")
            : null;
    }
}
