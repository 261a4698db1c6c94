using Microsoft.Extensions.Options;
using TaskGrid.Grains.Diagnostics;
using TaskGrid.Grains.Executors;
using TaskGrid.Grains.Logs;
using TaskGrid.Silo.Membership;

namespace TaskGrid.Silo.Workers;

/// <summary>
/// The silo's worker grains. On shutdown (SIGTERM, a rolling update) it drains: the silo is
/// marked draining and claims nothing new, running attempts get
/// <see cref="WorkerOptions.ShutdownGracePeriod"/> to finish, and whatever still runs then is
/// stopped and handed back to pending at once, so another silo picks it up without waiting
/// for a lease to lapse. The drain runs in the host's stopping phase
/// (<see cref="IHostedLifecycleService.StoppingAsync"/>), before any service stops, so the
/// health port keeps answering meanwhile: <c>/healthz</c> says 503 (draining), <c>/livez</c> 200.
/// </summary>
internal sealed partial class WorkerPool(
    IGrainFactory grains,
    IOptions<WorkerOptions> options,
    ExecutorRegistry executors,
    InFlightTasks inFlight,
    SiloContext silo,
    WorkSignals signals,
    MembershipService membership,
    TaskGridMetrics metrics,
    ITaskLog log,
    ILogger<WorkerPool> logger) : IHostedLifecycleService, IDisposable
{
    private readonly Lock _drainLock = new();
    private Task? _drained;
    private readonly CancellationTokenSource _stopClaiming = new();
    private readonly CancellationTokenSource _hardStop = new();
    private readonly CancellationTokenSource _abandonWrites = new();
    private Task _running = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var loops = Enumerable.Range(1, settings.Workers)
            .Select(n => new WorkerLoop(grains.Worker($"{silo.Identity.Name}/{n}"), settings, executors, inFlight, silo, signals, metrics, log, logger))
            .ToList();
        _running = Task.WhenAll(loops.Select(loop => Task.Run(
            () => loop.RunAsync(_stopClaiming.Token, _hardStop.Token, _abandonWrites.Token), CancellationToken.None)));
        LogStarted(silo.Identity.Name, settings.Workers, settings.Concurrency, settings.Prefetch);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => DrainOnceAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => DrainOnceAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Task DrainOnceAsync(CancellationToken cancellationToken)
    {
        lock (_drainLock)
        {
            return _drained ??= DrainAsync(cancellationToken);
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var grace = options.Value.ShutdownGracePeriod;
        LogDraining(silo.Identity.Name, inFlight.Count, grace.TotalSeconds);
        // Claiming stops first: marking the membership row draining is a database round trip that
        // a loaded machine can stretch past a second, and a draining silo must take nothing new.
        await _stopClaiming.CancelAsync();
        await membership.DrainAsync(cancellationToken);
        if (await Task.WhenAny(_running, Task.Delay(grace, CancellationToken.None)) != _running)
        {
            LogGraceOver(inFlight.Count);
            await _hardStop.CancelAsync();
        }
        _abandonWrites.CancelAfter(TimeSpan.FromSeconds(10));
        await _running;
        LogDrained(silo.Identity.Name);
    }

    public void Dispose()
    {
        _stopClaiming.Dispose();
        _hardStop.Dispose();
        _abandonWrites.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloName} runs {Workers} workers, {Concurrency} tasks each, claiming {Prefetch} at a time")]
    private partial void LogStarted(string siloName, int workers, int concurrency, int prefetch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloName} draining: {InFlight} tasks running, waiting up to {GraceSeconds} s for them")]
    private partial void LogDraining(string siloName, int inFlight, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grace period over with {InFlight} tasks still running; stopping them and handing them back")]
    private partial void LogGraceOver(int inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloName} drained")]
    private partial void LogDrained(string siloName);
}
