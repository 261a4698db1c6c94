using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TaskGrid.Gateway.Auth;
using TaskGrid.Gateway.Hosting;
using TaskGrid.Grains.Observability;
using TaskGrid.Observability;
using TaskGrid.Paging;

namespace TaskGrid.Gateway.Apis;

/// <summary>
/// <c>/v1/dashboard</c>: what the dashboard reads besides the resource routes, all aggregates
/// or pages so that it works at ten thousand grids and a million tasks. Task counts and
/// failures are scoped to the caller (an admin sees the cluster, a user their own); the
/// charts' series are cluster-wide rates with nothing of any user in them.
/// </summary>
internal static class DashboardApi
{
    private const int DefaultFailures = 20;

    public static RouteGroupBuilder MapDashboardApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/dashboard").WithTags("Dashboard");

        group.MapGet("/summary", SummaryAsync)
            .WithSummary("Headline numbers: tasks per state, rates, silos and workers")
            .WithDescription("Task counts come from counters (never a count over the tasks table): the cluster's for an admin, the caller's own for a user. Rates are cluster-wide over the last minute.");
        group.MapGet("/series", SeriesAsync)
            .WithSummary("Time series for the charts: throughput, queue depth, latency percentiles")
            .WithDescription("Cluster-wide, from the samples every silo publishes to PostgreSQL. `minutes` (1..the history kept, default 15) and `step_seconds` (default 5) pick the window and the step.")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        group.MapGet("/failures", FailuresAsync)
            .WithSummary("Recent failures with their errors, newest first")
            .WithDescription("Tasks that failed for good or expired: every user's for an admin, the caller's own for a user. Cursor-paged.")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        return group;
    }

    private static async Task<Ok<DashboardSummary>> SummaryAsync(HttpContext context, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.Ok(await grains.Metrics().GetSummaryAsync(context.Caller(), cancellationToken));

    private static async Task<Ok<MetricsHistory>> SeriesAsync(
        IGrainFactory grains, IOptions<ObservabilityOptions> options, CancellationToken cancellationToken, int? minutes = null, int? step_seconds = null)
    {
        var window = minutes is { } asked ? TimeSpan.FromMinutes(asked) : Min(options.Value.MetricsHistory, TimeSpan.FromMinutes(15));
        return TypedResults.Ok(await grains.Metrics().GetHistoryAsync(window, TimeSpan.FromSeconds(step_seconds ?? 5), cancellationToken));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static async Task<Ok<Page<TaskFailureView>>> FailuresAsync(
        HttpContext context, IGrainFactory grains, CancellationToken cancellationToken, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await grains.Catalog().ListFailuresAsync(context.Caller(), new FailureQuery(limit ?? DefaultFailures, cursor), cancellationToken));
}
