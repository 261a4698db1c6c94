using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TaskGrid.Grains.Diagnostics;
using TaskGrid.Silo.Workers;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Silo;

public sealed class AcknowledgerTests : IDisposable
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(30);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_batch_the_database_refuses_for_good_is_reported_unrecorded_and_later_batches_are_still_written()
    {
        var grain = new FlakyWorkerGrain();
        var metrics = new TaskGridMetrics(_services.GetRequiredService<IMeterFactory>());
        var acks = new Acknowledger(grain, 10, metrics, NullLogger.Instance);
        var running = acks.RunAsync(CancellationToken.None);

        var poisoned = Claimed();
        Assert.False(await acks.CompleteAsync(poisoned, new TaskSuccess(poisoned.Lease)).WaitAsync(s_patience));

        var healthy = Claimed();
        Assert.True(await acks.CompleteAsync(healthy, new TaskSuccess(healthy.Lease)).WaitAsync(s_patience));
        var failed = Claimed();
        Assert.True(await acks.FailAsync(failed, new TaskFailure(failed.Lease, "x", Retryable: true, TimeSpan.Zero)).WaitAsync(s_patience));

        acks.Complete();
        await running.WaitAsync(s_patience);
        Assert.Equal([poisoned.Id, healthy.Id], grain.Completed);
    }

    private static ClaimedTask Claimed()
    {
        var id = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        return new ClaimedTask(id, "u", null, "noop", null, null, null, 1, 3, null, new LeaseRef(id, Guid.NewGuid()), now.AddMinutes(1), now, now);
    }

    /// <summary>Refuses its first completion with an error that no retry fixes, then records everything.</summary>
    private sealed class FlakyWorkerGrain : IWorkerGrain
    {
        private int _calls;

        public List<Guid> Completed { get; } = [];

        public string Id => "flaky/1";

        public Task<IReadOnlyList<Guid>> CompleteAsync(IReadOnlyList<TaskSuccess> results, CancellationToken cancellationToken = default)
        {
            Completed.AddRange(results.Select(r => r.Lease.TaskId));
            if (Interlocked.Increment(ref _calls) == 1)
            {
                throw new InvalidOperationException("a result the database cannot store");
            }
            return Task.FromResult<IReadOnlyList<Guid>>([.. results.Select(r => r.Lease.TaskId)]);
        }

        public Task<IReadOnlyList<Guid>> FailAsync(IReadOnlyList<TaskFailure> failures, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Guid>>([.. failures.Select(f => f.Lease.TaskId)]);

        public Task RegisterAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<IReadOnlyList<ClaimedTask>> ClaimAsync(int max, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ClaimedTask>>([]);

        public Task<IReadOnlyList<Guid>> RenewLeasesAsync(IReadOnlyList<LeaseRef> leases, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Guid>>([.. leases.Select(l => l.TaskId)]);

        public Task CloseLeasesAsync(SettledLeases leases, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<int> MarkRunningAsync(IReadOnlyList<LeaseRef> leases, CancellationToken cancellationToken = default) => Task.FromResult(leases.Count);

        public Task<int> ReleaseAsync(IReadOnlyList<LeaseRef> leases, string reason, CancellationToken cancellationToken = default) => Task.FromResult(leases.Count);

        public Task ReportAsync(WorkerReport report, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
