using System.Diagnostics;
using System.Net;
using TaskGrid.Client;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Tests.Cli.Support;

namespace TaskGrid.Tests.Cli.Sdk;

/// <summary>
/// Transient failures, injected by a small handler in front of the real gateway: reads retry,
/// writes retry only when the request certainly never arrived, Retry-After is honoured.
/// </summary>
[Collection(SdkCluster.Name)]
public sealed class RetryTests(RunningCluster cluster)
{
    [Fact]
    public async Task A_read_is_retried_through_503s_and_succeeds()
    {
        var injector = new FaultInjector().Answer(HttpMethod.Get, HttpStatusCode.ServiceUnavailable).Answer(HttpMethod.Get, HttpStatusCode.BadGateway);
        using var client = cluster.Client(handler: injector);

        var me = await client.GetCurrentUserAsync();

        Assert.Equal("admin", me.Id);
        Assert.Equal(3, injector.Attempts);
        Assert.Equal(1, injector.Forwarded);
    }

    [Fact]
    public async Task A_read_fails_with_the_last_503_when_retries_run_out()
    {
        var injector = new FaultInjector();
        for (var i = 0; i < 3; i++)
        {
            injector.Answer(HttpMethod.Get, HttpStatusCode.ServiceUnavailable);
        }
        using var client = cluster.Client(handler: injector, configure: o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<TaskGridApiException>(() => client.ListSilosAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal("injected 503", error.Detail);
        Assert.Equal(3, injector.Attempts);
        Assert.Equal(0, injector.Forwarded);
    }

    [Fact]
    public async Task A_write_that_got_503_is_not_repeated()
    {
        var injector = new FaultInjector().Answer(HttpMethod.Post, HttpStatusCode.ServiceUnavailable);
        using var client = cluster.Client(handler: injector);

        var error = await Assert.ThrowsAsync<TaskGridApiException>(() => client.CreateGridAsync(new CreateGridRequest { Name = "once" }));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(1, injector.Attempts);
    }

    [Fact]
    public async Task A_write_whose_connection_failed_is_sent_again_and_lands_once()
    {
        using var admin = cluster.Client();
        var grid = await admin.CreateGridAsync(new CreateGridRequest { Name = "refused once" });
        var injector = new FaultInjector().Refuse(HttpMethod.Post);
        using var client = cluster.Client(handler: injector);

        var added = await client.AddGridTasksAsync(grid.Id, [new SubmitTaskRequest { Kind = TaskKinds.Noop }]);

        Assert.Equal(1, added.Added);
        Assert.Equal(2, injector.Attempts);
        Assert.Equal(1, await cluster.CountTasksAsync(grid.Id));
    }

    [Fact]
    public async Task A_write_that_timed_out_is_not_repeated()
    {
        using var admin = cluster.Client();
        var grid = await admin.CreateGridAsync(new CreateGridRequest { Name = "slow answer" });
        var injector = new FaultInjector().Delay(HttpMethod.Post, TimeSpan.FromSeconds(3));
        using var client = cluster.Client(handler: injector, configure: o => o.Timeout = TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAsync<TimeoutException>(() => client.AddGridTasksAsync(grid.Id, [new SubmitTaskRequest { Kind = TaskKinds.Noop }]));

        Assert.Equal(1, injector.Attempts);
    }

    [Fact]
    public async Task A_read_that_timed_out_is_retried()
    {
        var injector = new FaultInjector().Delay(HttpMethod.Get, TimeSpan.FromSeconds(3));
        using var client = cluster.Client(handler: injector, configure: o => o.Timeout = TimeSpan.FromMilliseconds(500));

        var silos = await client.ListSilosAsync();

        Assert.NotEmpty(silos);
        Assert.Equal(2, injector.Attempts);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_even_for_a_write()
    {
        var injector = new FaultInjector().Answer(HttpMethod.Post, HttpStatusCode.TooManyRequests, retryAfterSeconds: 1);
        using var client = cluster.Client(handler: injector);
        var clock = Stopwatch.StartNew();

        var grid = await client.CreateGridAsync(new CreateGridRequest { Name = "rate limited" });

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited {clock.Elapsed}");
        Assert.Equal(2, injector.Attempts);
        Assert.Equal("rate limited", (await client.GetGridAsync(grid.Id)).Name);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_longest_delay_fails_at_once_with_it()
    {
        var injector = new FaultInjector().Answer(HttpMethod.Get, HttpStatusCode.TooManyRequests, retryAfterSeconds: 120);
        using var client = cluster.Client(handler: injector);

        var error = await Assert.ThrowsAsync<TaskGridApiException>(() => client.GetCurrentUserAsync());

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Equal(1, injector.Attempts);
    }

    [Fact]
    public async Task Cancelling_during_a_retry_delay_stops_at_once()
    {
        var injector = new FaultInjector().Answer(HttpMethod.Get, HttpStatusCode.ServiceUnavailable, retryAfterSeconds: 20);
        using var client = cluster.Client(handler: injector, configure: o => o.MaxRetryDelay = TimeSpan.FromMinutes(1));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetCurrentUserAsync(cancellation.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(1, injector.Attempts);
    }

    [Fact]
    public async Task Retries_can_be_turned_off()
    {
        var injector = new FaultInjector().Answer(HttpMethod.Get, HttpStatusCode.ServiceUnavailable);
        using var client = cluster.Client(handler: injector, configure: o => o.MaxRetries = 0);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Assert.ThrowsAsync<TaskGridApiException>(() => client.ListSilosAsync())).StatusCode);
        Assert.Equal(1, injector.Attempts);
    }
}
