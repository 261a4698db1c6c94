using System.Threading.Channels;
using TaskGrid.Grains.Diagnostics;
using TaskGrid.Grains.Persistence;
using TaskGrid.Workers;

namespace TaskGrid.Silo.Workers;

/// <summary>
/// Writes a worker's outcomes in batches: whatever finished while the previous batch was being
/// written goes in the next statement, so a busy worker writes hundreds of results per round
/// trip and an idle one writes each at once. Every row is still fenced by its own lease token.
/// A database outage is ridden out by retrying; a result whose lease expired meanwhile is
/// refused, and the task runs again (at-least-once execution, exactly-once outcome).
/// It also writes long attempts' tasks as running (<see cref="MarkRunning"/>): in the same order as
/// the outcomes, because a task written running while its completion is in flight would refuse it.
/// </summary>
internal sealed partial class Acknowledger(IWorkerGrain grain, int batchSize, TaskGridMetrics metrics, ILogger logger)
{
    private readonly Channel<Outcome> _queue = Channel.CreateUnbounded<Outcome>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues a success; completes with whether it was recorded (false: the lease was lost).</summary>
    public Task<bool> CompleteAsync(ClaimedTask task, TaskSuccess success) => Enqueue(new Outcome(task, success, null));

    /// <summary>Queues a failure; completes with whether it was recorded (false: the lease was lost).</summary>
    public Task<bool> FailAsync(ClaimedTask task, TaskFailure failure) => Enqueue(new Outcome(task, null, failure));

    /// <summary>Queues writing a leased task as running, so that it shows so while the attempt goes on.</summary>
    public void MarkRunning(ClaimedTask task) => Enqueue(new Outcome(task, null, null));

    /// <summary>No more outcomes will come; <see cref="RunAsync"/> ends once the queue is written.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Writes batches until <see cref="Complete"/> and an empty queue; <paramref name="abandon"/> gives up on a database that stays down.</summary>
    public async Task RunAsync(CancellationToken abandon)
    {
        var batch = new List<Outcome>(batchSize);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < batchSize && _queue.Reader.TryRead(out var outcome))
            {
                batch.Add(outcome);
            }
            await WriteAsync(batch, abandon);
        }
    }

    private Task<bool> Enqueue(Outcome outcome)
    {
        if (!_queue.Writer.TryWrite(outcome))
        {
            outcome.Done.TrySetResult(false);
        }
        return outcome.Done.Task;
    }

    private async Task WriteAsync(List<Outcome> batch, CancellationToken abandon)
    {
        List<TaskSuccess> successes = [.. batch.Where(o => o.Success is not null).Select(o => o.Success!)];
        List<TaskFailure> failures = [.. batch.Where(o => o.Failure is not null).Select(o => o.Failure!)];
        var finished = batch.Where(o => !o.IsMark).Select(o => o.Task.Id).ToHashSet();
        List<LeaseRef> marks = [.. batch.Where(o => o.IsMark && !finished.Contains(o.Task.Id)).Select(o => o.Task.Lease)];
        var acknowledged = new HashSet<Guid>();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Each statement that committed is not sent again. (If a commit's reply is lost with
                // the connection, the retry finds the tokens gone and reports the rows as refused:
                // the log says so, the data is right.)
                if (marks.Count > 0)
                {
                    await grain.MarkRunningAsync(marks, abandon);
                    marks = [];
                }
                if (successes.Count > 0)
                {
                    acknowledged.UnionWith(await grain.CompleteAsync(successes, abandon));
                    successes = [];
                }
                if (failures.Count > 0)
                {
                    acknowledged.UnionWith(await grain.FailAsync(failures, abandon));
                    failures = [];
                }
                break;
            }
            catch (Exception ex) when (PostgresErrors.IsTransient(ex) && !abandon.IsCancellationRequested)
            {
                LogWriteFailed(marks.Count + successes.Count + failures.Count, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * attempt * attempt)), CancellationToken.None);
            }
            catch (Exception ex) when (abandon.IsCancellationRequested || ex is OperationCanceledException)
            {
                LogAbandoned(successes.Count + failures.Count);
                break;
            }
            catch (Exception ex)
            {
                // Refused for good (a bug, a value the database cannot take): the writer must live
                // on, or every later outcome of this worker would wait forever. These outcomes are
                // reported unrecorded; their tasks run again when their leases lapse.
                LogWriteRefused(successes.Count + failures.Count, ex);
                break;
            }
        }
        foreach (var outcome in batch)
        {
            if (outcome.IsMark)
            {
                outcome.Done.TrySetResult(true);
                continue;
            }
            var recorded = acknowledged.Contains(outcome.Task.Id);
            if (!recorded)
            {
                metrics.AcksRefused.Add(1);
                LogRefused(outcome.Task.Id, outcome.Task.Attempt);
            }
            outcome.Done.TrySetResult(recorded);
        }
    }

    /// <summary>A success, a failure, or (neither) a mark as running.</summary>
    private sealed record Outcome(ClaimedTask Task, TaskSuccess? Success, TaskFailure? Failure)
    {
        public bool IsMark => Success is null && Failure is null;

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Result of task {TaskId} attempt {Attempt} not recorded: its lease was lost (reaped, cancelled or reclaimed)")]
    private partial void LogRefused(Guid taskId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} results failed (try {Attempt}): {Reason}; retrying")]
    private partial void LogWriteFailed(int count, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} results failed and cannot succeed by retrying; their tasks will run again after their leases lapse")]
    private partial void LogWriteRefused(int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up writing {Count} results at shutdown; their tasks will run again after their leases lapse")]
    private partial void LogAbandoned(int count);
}
