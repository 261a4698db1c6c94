using Microsoft.AspNetCore.Http.HttpResults;
using TaskGrid.Gateway.Auth;
using TaskGrid.Gateway.Hosting;
using TaskGrid.Grids;
using TaskGrid.Paging;
using TaskGrid.Templates;

namespace TaskGrid.Gateway.Apis;

/// <summary><c>/v1/grid-templates</c>: recurring grids; the scheduler creates a grid run at every cron tick.</summary>
internal static class GridTemplatesApi
{
    public static RouteGroupBuilder MapGridTemplatesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/grid-templates").WithTags("Grid templates");

        group.MapPost("/", CreateAsync)
            .WithSummary("Create a recurring grid: a cron schedule and the tasks of every run")
            .WithDescription("`cron` has five fields (minute hour day-of-month month day-of-week) read in `time_zone` (IANA, default UTC). `missed_ticks`: `run_once` (default) or `skip`.")
            .ProducesProblems(400, 403, 413);
        group.MapGet("/", ListAsync).WithSummary("List grid templates, newest first").ProducesProblems(400);
        group.MapGet("/{id:guid}", GetAsync).WithSummary("Get a grid template with its next and last ticks").ProducesProblems(404);
        group.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Delete a grid template; its runs stay").ProducesProblems(404);
        return group;
    }

    private static async Task<Created<GridTemplateView>> CreateAsync(CreateGridTemplateRequest request, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var template = await grains.GridTemplate(Guid.CreateVersion7()).CreateAsync(context.Caller(), request, cancellationToken);
        return TypedResults.Created($"/v1/grid-templates/{template.Id}", template);
    }

    private static async Task<Ok<Page<GridTemplateView>>> ListAsync(
        HttpContext context, IGrainFactory grains, CancellationToken cancellationToken,
        string? user_id = null, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await grains.Catalog().ListGridTemplatesAsync(context.Caller(), new GridQuery(user_id, ListQueryParser.Limit(limit), cursor), cancellationToken));

    private static async Task<Ok<GridTemplateView>> GetAsync(Guid id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.GridTemplate(id).GetAsync(context.Caller(), cancellationToken));

    private static async Task<NoContent> DeleteAsync(Guid id, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken)
    {
        await grains.GridTemplate(id).DeleteAsync(context.Caller(), cancellationToken);
        return TypedResults.NoContent();
    }
}
