using Microsoft.AspNetCore.Http.HttpResults;
using TaskGrid.Gateway.Auth;
using TaskGrid.Gateway.Hosting;
using TaskGrid.Paging;
using TaskGrid.Tasks;

namespace TaskGrid.Gateway.Apis;

/// <summary><c>/v1/tasks</c>: submit, read, list, cancel, retry, and a task's event history.</summary>
internal static class TasksApi
{
    public static RouteGroupBuilder MapTasksApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/tasks").WithTags("Tasks");

        group.MapPost("/", SubmitAsync)
            .WithSummary("Submit a task")
            .WithDescription("Creates a pending task owned by the caller (an admin may set `user_id` to act for another user). Kind `codegen` (the default) needs `objective` and `language`; kind `script` needs `source` and `interpreter`.")
            .ProducesProblems(400, 403, 413);
        group.MapGet("/", ListAsync).WithSummary("List tasks, newest first").ProducesProblems(400, 404);
        group.MapGet("/{id:guid}", GetAsync).WithSummary("Get a task").ProducesProblems(404);
        group.MapPost("/{id:guid}/cancel", CancelAsync).WithSummary("Cancel a pending or running task").ProducesProblems(404, 409);
        group.MapPost("/{id:guid}/retry", RetryAsync).WithSummary("Retry a failed, cancelled or expired task").ProducesProblems(404, 409);
        group.MapGet("/{id:guid}/events", EventsAsync).WithSummary("A task's state changes, oldest first").ProducesProblems(404);
        return group;
    }

    private static async Task<Created<TaskView>> SubmitAsync(SubmitTaskRequest request, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var task = await grains.Task(Guid.CreateVersion7()).SubmitAsync(context.Caller(), request, cancellationToken);
        return TypedResults.Created($"/v1/tasks/{task.Id}", task);
    }

    private static async Task<Ok<Page<TaskView>>> ListAsync(
        HttpContext context, IGrainFactory grains, CancellationToken cancellationToken,
        string? user_id = null, string? status = null, Guid? grid_id = null, int? limit = null, string? cursor = null)
    {
        var query = new TaskQuery(user_id, ListQueryParser.Status(status), grid_id, ListQueryParser.Limit(limit), cursor);
        return TypedResults.Ok(await grains.Catalog().ListTasksAsync(context.Caller(), query, cancellationToken));
    }

    private static async Task<Ok<TaskView>> GetAsync(Guid id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.Task(id).GetAsync(context.Caller(), cancellationToken));

    private static async Task<Ok<TaskView>> CancelAsync(Guid id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.Task(id).CancelAsync(context.Caller(), cancellationToken));

    private static async Task<Ok<TaskView>> RetryAsync(Guid id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.Task(id).RetryAsync(context.Caller(), cancellationToken));

    private static async Task<Ok<IReadOnlyList<TaskEventView>>> EventsAsync(Guid id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.Task(id).GetEventsAsync(context.Caller(), cancellationToken));
}
