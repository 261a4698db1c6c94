using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using TaskGrid.Artifacts;
using TaskGrid.Gateway.Auth;
using TaskGrid.Gateway.Hosting;
using TaskGrid.Grains.Logs;
using TaskGrid.Logs;
using TaskGrid.Paging;
using TaskGrid.Tasks;

namespace TaskGrid.Gateway.Apis;

/// <summary><c>/v1/tasks</c>: submit, read, list, cancel, retry, and a task's event history, log and output files.</summary>
internal static class TasksApi
{
    public static RouteGroupBuilder MapTasksApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/tasks").WithTags("Tasks");

        group.MapPost("/", SubmitAsync)
            .WithSummary("Submit a task")
            .WithDescription("Creates a pending task owned by the caller (an admin may set `user_id` to act for another user). Kind `codegen` (the default) needs `objective` and `language`; kind `script` needs `interpreter` and either `source` (inline text) or `artifact_id` (an uploaded script of the task's owner).")
            .ProducesProblems(400, 403, 413);
        group.MapGet("/", ListAsync).WithSummary("List tasks, newest first").ProducesProblems(400, 404);
        group.MapGet("/{id:guid}", GetAsync).WithSummary("Get a task").ProducesProblems(404);
        group.MapPost("/{id:guid}/cancel", CancelAsync).WithSummary("Cancel a pending or running task").ProducesProblems(404, 409);
        group.MapPost("/{id:guid}/retry", RetryAsync).WithSummary("Retry a failed, cancelled or expired task").ProducesProblems(404, 409);
        group.MapGet("/{id:guid}/events", EventsAsync).WithSummary("A task's state changes, oldest first").ProducesProblems(404);
        group.MapGet("/{id:guid}/logs", LogsAsync)
            .WithSummary("A task's log lines, oldest first; with follow=true, a live stream of server-sent events until the task ends")
            .WithDescription("Lines the task printed (`stdout`, `stderr`) and its executor's messages (`system`), each with `seq`, `attempt`, `at`. Page with `cursor` (a page's `next_cursor`). With `follow=true` the answer is `text/event-stream`: `log` events (id = seq; reconnect with `Last-Event-ID`), `ping` while idle, and a final `end` event with the task's status.")
            .ProducesProblems(400, 404);
        group.MapGet("/{id:guid}/artifacts", ArtifactsAsync).WithSummary("Files the task wrote under out/, saved as artifacts of its owner").ProducesProblems(404);
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

    private static async Task<Results<Ok<TaskLogPage>, ServerSentEventsResult<string>>> LogsAsync(
        Guid id, HttpContext context, IGrainFactory grains, TaskLogSignals signals, IOptions<TaskLogOptions> options, IOptions<JsonOptions> json,
        IHostApplicationLifetime lifetime, CancellationToken cancellationToken, string? cursor = null, int? limit = null, bool follow = false)
    {
        var caller = context.Caller();
        var task = grains.Task(id);
        // Logs are read in bulk (a follower drains a chatty task page by page): the largest page by default.
        var size = limit ?? PageLimits.Max;
        var resumeAt = cursor ?? (context.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } lastEventId ? lastEventId : null);
        // The first page is read before answering, so that an unknown task is a plain 404.
        var first = await task.GetLogsAsync(caller, new TaskLogQuery(resumeAt, size), cancellationToken);
        if (!follow)
        {
            return TypedResults.Ok(first);
        }
        // A follow stream ends with the request or when this gateway stops (a rolling update):
        // the client reconnects elsewhere with Last-Event-ID.
        var until = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.RegisterForDispose(until);
        return TypedResults.ServerSentEvents(TaskLogFollower.FollowAsync(
            task, caller, first, size, signals, options.Value, json.Value.SerializerOptions, until.Token));
    }

    private static async Task<Ok<IReadOnlyList<TaskArtifactView>>> ArtifactsAsync(Guid id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.Task(id).ListArtifactsAsync(context.Caller(), cancellationToken));

    private static async Task<Ok<IReadOnlyList<TaskEventView>>> EventsAsync(Guid id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.Task(id).GetEventsAsync(context.Caller(), cancellationToken));
}
