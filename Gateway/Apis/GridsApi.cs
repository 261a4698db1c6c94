using Microsoft.AspNetCore.Http.HttpResults;
using TaskGrid.Gateway.Auth;
using TaskGrid.Gateway.Hosting;
using TaskGrid.Grids;
using TaskGrid.Paging;
using TaskGrid.Tasks;

namespace TaskGrid.Gateway.Apis;

/// <summary><c>/v1/grids</c>: create, add tasks in bulk, watch progress, and steer a whole grid.</summary>
internal static class GridsApi
{
    public static RouteGroupBuilder MapGridsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/grids").WithTags("Grids");

        group.MapPost("/", CreateAsync).WithSummary("Create a grid, optionally with tasks or a matrix").ProducesProblems(400, 403, 413);
        group.MapGet("/", ListAsync).WithSummary("List grids, newest first").ProducesProblems(400);
        group.MapGet("/{id:guid}", GetAsync).WithSummary("Get a grid with its counts, progress, throughput and ETA").ProducesProblems(404);
        group.MapPost("/{id:guid}/tasks", AddTasksAsync)
            .WithSummary("Add tasks in bulk")
            .WithDescription("The body is a JSON array of task bodies, written in one database round trip.")
            .ProducesProblems(400, 404, 409, 413);
        group.MapGet("/{id:guid}/tasks", ListTasksAsync).WithSummary("List a grid's tasks, newest first").ProducesProblems(400, 404);
        group.MapPost("/{id:guid}/pause", (Guid id, HttpContext c, IGrainFactory g, CancellationToken ct) => ChangeAsync(g.Grid(id).PauseAsync(c.Caller(), ct)))
            .WithSummary("Stop claiming the grid's tasks; running ones finish").ProducesProblems(404, 409);
        group.MapPost("/{id:guid}/resume", (Guid id, HttpContext c, IGrainFactory g, CancellationToken ct) => ChangeAsync(g.Grid(id).ResumeAsync(c.Caller(), ct)))
            .WithSummary("Resume a paused grid").ProducesProblems(404, 409);
        group.MapPost("/{id:guid}/cancel", (Guid id, HttpContext c, IGrainFactory g, CancellationToken ct) => ChangeAsync(g.Grid(id).CancelAsync(c.Caller(), ct)))
            .WithSummary("Cancel the grid and its unfinished tasks").ProducesProblems(404, 409);
        group.MapPost("/{id:guid}/retry-failed", (Guid id, HttpContext c, IGrainFactory g, CancellationToken ct) => ChangeAsync(g.Grid(id).RetryFailedAsync(c.Caller(), ct)))
            .WithSummary("Retry the grid's failed and expired tasks").ProducesProblems(404, 409);
        return group;
    }

    private static async Task<Created<GridView>> CreateAsync(CreateGridRequest request, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var grid = await grains.Grid(Guid.CreateVersion7()).CreateAsync(context.Caller(), request, cancellationToken);
        return TypedResults.Created($"/v1/grids/{grid.Id}", grid);
    }

    private static async Task<Ok<Page<GridView>>> ListAsync(
        HttpContext context, IGrainFactory grains, CancellationToken cancellationToken,
        string? user_id = null, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await grains.Catalog().ListGridsAsync(context.Caller(), new GridQuery(user_id, ListQueryParser.Limit(limit), cursor), cancellationToken));

    private static async Task<Ok<GridView>> GetAsync(Guid id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.Grid(id).GetAsync(context.Caller(), cancellationToken));

    private static async Task<Created<AddedTasks>> AddTasksAsync(Guid id, List<SubmitTaskRequest> tasks, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var added = await grains.Grid(id).AddTasksAsync(context.Caller(), tasks, cancellationToken);
        return TypedResults.Created($"/v1/grids/{id}/tasks", added);
    }

    private static async Task<Ok<Page<TaskView>>> ListTasksAsync(
        Guid id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken,
        string? status = null, int? limit = null, string? cursor = null)
    {
        var query = new TaskQuery(null, ListQueryParser.Status(status), id, ListQueryParser.Limit(limit), cursor);
        return TypedResults.Ok(await grains.Grid(id).ListTasksAsync(context.Caller(), query, cancellationToken));
    }

    private static async Task<Ok<GridChange>> ChangeAsync(Task<GridChange> change) => TypedResults.Ok(await change);
}
