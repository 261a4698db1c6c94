using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TaskGrid.Grains.Diagnostics;
using TaskGrid.Grains.Executors;
using TaskGrid.Grains.Logs;
using TaskGrid.Silo;
using TaskGrid.Silo.Membership;
using TaskGrid.Silo.Workers;
using TaskGrid.Testing;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Silo;

/// <summary>The claim loop itself, driven through a scripted worker grain.</summary>
public sealed class WorkerLoopTests : IDisposable
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(30);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_task_claimed_again_while_its_lost_attempt_still_runs_stops_the_old_attempt_and_keeps_the_new_lease()
    {
        // The database was out longer than a lease: the reaper requeued the task and this same
        // worker claimed it again before its first attempt noticed.
        var grain = new ScriptedWorkerGrain();
        var executor = new BlockingExecutor();
        var loop = NewLoop(grain, executor);
        using var stop = new CancellationTokenSource();
        var taskId = Guid.CreateVersion7();
        var first = Claimed(taskId, attempt: 1);
        var second = Claimed(taskId, attempt: 2);
        grain.Claims.Enqueue([first]);
        var running = Task.Run(() => loop.RunAsync(stop.Token, CancellationToken.None, CancellationToken.None));

        var firstRun = await executor.Started(1).WaitAsync(s_patience);
        grain.Claims.Enqueue([second]);
        var secondRun = await executor.Started(2).WaitAsync(s_patience);

        await Eventually.HoldsAsync(() => Task.FromResult(firstRun.IsCancellationRequested), s_patience, "the lost attempt to be stopped");
        // The old attempt takes its time to stop (a script being killed); it ends after the new one started.
        executor.Finish(1);
        await executor.Ended(1).WaitAsync(s_patience);
        for (var round = 0; round < 2; round++)
        {
            var renewedAfter = grain.Renewals.Count;
            await Eventually.HoldsAsync(
                () => Task.FromResult(grain.Renewals.Skip(renewedAfter).Any(lease => lease == second.Lease)),
                s_patience, "the new attempt's lease to be renewed after the old attempt ended");
            Assert.DoesNotContain(grain.Renewals.Skip(renewedAfter), lease => lease == first.Lease);
        }
        Assert.Equal(1, loop.InFlight);

        executor.Finish(2);
        await Eventually.HoldsAsync(() => Task.FromResult(grain.Completed.Contains(second.Lease)), s_patience, "the new attempt's result to be written");
        Assert.DoesNotContain(first.Lease, grain.Completed);
        await stop.CancelAsync();
        await running.WaitAsync(s_patience);
        Assert.False(secondRun.IsCancellationRequested);
    }

    [Fact]
    public async Task After_a_full_batch_the_next_claim_goes_out_before_the_batch_starts_and_asks_only_for_the_slots_left()
    {
        var grain = new ScriptedWorkerGrain();
        var executor = new BlockingExecutor();
        var loop = NewLoop(grain, executor, concurrency: 4, prefetch: 3);
        grain.InFlight = () => loop.InFlight;
        foreach (var attempt in Enumerable.Range(1, 7))
        {
            grain.Pool.Enqueue(Claimed(Guid.CreateVersion7(), attempt));
        }
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => loop.RunAsync(stop.Token, CancellationToken.None, CancellationToken.None));

        await Task.WhenAll(Enumerable.Range(1, 4).Select(executor.Started)).WaitAsync(s_patience);
        // The second claim was sent while none of the first three had started, for the one slot they left.
        Assert.Equal([(3, 0), (1, 0)], grain.Asks.Take(2));

        foreach (var attempt in Enumerable.Range(1, 7))
        {
            await executor.Started(attempt).WaitAsync(s_patience);
            Assert.InRange(loop.InFlight, 1, 4);
            executor.Finish(attempt);
        }
        await Eventually.HoldsAsync(() => Task.FromResult(grain.Completed.Count == 7), s_patience, "all seven results to be written");
        Assert.All(grain.Asks, ask => Assert.InRange(ask.Max, 1, 4 - ask.InFlight));
        await stop.CancelAsync();
        await running.WaitAsync(s_patience);
    }

    private WorkerLoop NewLoop(IWorkerGrain grain, ITaskExecutor executor, int concurrency = 4, int prefetch = 10)
    {
        var options = new WorkerOptions
        {
            Concurrency = concurrency,
            Prefetch = prefetch,
            PollInterval = TimeSpan.FromMilliseconds(50),
            LeaseRenewInterval = TimeSpan.FromMilliseconds(100),
            LeaseDuration = TimeSpan.FromSeconds(30),
        };
        var silo = new SiloContext(Options.Create(new SiloOptions { Name = "loop-test" }));
        silo.MarkJoined();
        return new WorkerLoop(grain, options, new ExecutorRegistry([executor]), new InFlightTasks(), silo, new WorkSignals(),
            new TaskGridMetrics(_services.GetRequiredService<IMeterFactory>()), NullTaskLog.Instance, NullLogger.Instance);
    }

    private static ClaimedTask Claimed(Guid id, int attempt)
    {
        var now = DateTimeOffset.UtcNow;
        return new ClaimedTask(id, "u", null, BlockingExecutor.KindName, null, null, null, attempt, 5, null,
            new LeaseRef(id, Guid.NewGuid()), now.AddSeconds(30), now, now);
    }

    /// <summary>Hands out the claims a test queues and records every renewal and acknowledgement.</summary>
    private sealed class ScriptedWorkerGrain : IWorkerGrain
    {
        public ConcurrentQueue<IReadOnlyList<ClaimedTask>> Claims { get; } = new();

        /// <summary>Tasks handed out up to each claim's maximum once <see cref="Claims"/> is empty.</summary>
        public ConcurrentQueue<ClaimedTask> Pool { get; } = new();

        /// <summary>Each claim's maximum, with the loop's running attempts when it was asked.</summary>
        public ConcurrentQueue<(int Max, int InFlight)> Asks { get; } = new();

        public Func<int> InFlight { get; set; } = () => 0;

        public ConcurrentQueue<LeaseRef> Renewals { get; } = new();

        public ConcurrentQueue<LeaseRef> Completed { get; } = new();

        public string Id => "loop-test/1";

        public Task<IReadOnlyList<ClaimedTask>> ClaimAsync(int max, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
        {
            Asks.Enqueue((max, InFlight()));
            if (Claims.TryDequeue(out var batch))
            {
                return Task.FromResult(batch);
            }
            var taken = new List<ClaimedTask>();
            while (taken.Count < max && Pool.TryDequeue(out var task))
            {
                taken.Add(task);
            }
            return Task.FromResult<IReadOnlyList<ClaimedTask>>(taken);
        }

        public Task<IReadOnlyList<Guid>> RenewLeasesAsync(IReadOnlyList<LeaseRef> leases, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
        {
            foreach (var lease in leases)
            {
                Renewals.Enqueue(lease);
            }
            return Task.FromResult<IReadOnlyList<Guid>>([.. leases.Select(l => l.TaskId)]);
        }

        public Task<IReadOnlyList<Guid>> CompleteAsync(IReadOnlyList<TaskSuccess> results, CancellationToken cancellationToken = default)
        {
            foreach (var result in results)
            {
                Completed.Enqueue(result.Lease);
            }
            return Task.FromResult<IReadOnlyList<Guid>>([.. results.Select(r => r.Lease.TaskId)]);
        }

        public Task<IReadOnlyList<Guid>> FailAsync(IReadOnlyList<TaskFailure> failures, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Guid>>([.. failures.Select(f => f.Lease.TaskId)]);

        public Task CloseLeasesAsync(SettledLeases leases, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<int> MarkRunningAsync(IReadOnlyList<LeaseRef> leases, CancellationToken cancellationToken = default) => Task.FromResult(leases.Count);

        public Task<int> ReleaseAsync(IReadOnlyList<LeaseRef> leases, string reason, CancellationToken cancellationToken = default) => Task.FromResult(leases.Count);

        public Task RegisterAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task ReportAsync(WorkerReport report, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    /// <summary>Each attempt runs until the test finishes it; a cancelled one stops only when the test finishes it too.</summary>
    private sealed class BlockingExecutor : ITaskExecutor
    {
        public const string KindName = "blocking";

        private readonly ConcurrentDictionary<int, TaskCompletionSource<CancellationToken>> _started = new();
        private readonly ConcurrentDictionary<int, TaskCompletionSource> _finish = new();
        private readonly ConcurrentDictionary<int, TaskCompletionSource> _ended = new();

        public string Kind => KindName;

        public Task<CancellationToken> Started(int attempt) => Source(_started, attempt).Task;

        public void Finish(int attempt) => Source(_finish, attempt).TrySetResult();

        public Task Ended(int attempt) => Source(_ended, attempt).Task;

        public async Task<ExecutionOutcome> ExecuteAsync(ClaimedTask task, CancellationToken cancellationToken)
        {
            Source(_started, task.Attempt).TrySetResult(cancellationToken);
            try
            {
                await Source(_finish, task.Attempt).Task.WaitAsync(cancellationToken);
                return new ExecutionOutcome.Succeeded(Output: $"attempt {task.Attempt}");
            }
            catch (OperationCanceledException)
            {
                // Stopping takes until the test says, as killing a process tree does.
                await Source(_finish, task.Attempt).Task;
                throw;
            }
            finally
            {
                Source(_ended, task.Attempt).TrySetResult();
            }
        }

        private static TaskCompletionSource<T> Source<T>(ConcurrentDictionary<int, TaskCompletionSource<T>> sources, int attempt) =>
            sources.GetOrAdd(attempt, _ => new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously));

        private static TaskCompletionSource Source(ConcurrentDictionary<int, TaskCompletionSource> sources, int attempt) =>
            sources.GetOrAdd(attempt, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
