using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TaskGrid.Grains.Diagnostics;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Logs;
using TaskGrid.Tasks;
using TaskGrid.Workers;

namespace TaskGrid.Grains.Logs;

/// <summary>
/// A silo's one writer of <c>task_logs</c>. Every running task's lines go into one bounded
/// buffer; the writer gathers them for <see cref="TaskLogOptions.FlushInterval"/> (or until a
/// flush is asked for) and stores up to <see cref="TaskLogOptions.BatchSize"/> of them, from
/// any number of tasks, with one multi-row INSERT that also notifies the tasks' followers. A
/// chatty script therefore costs a statement every few hundred milliseconds, not one per line.
///
/// The buffer is bounded: when the database falls behind, printing tasks wait (their pipes
/// fill and they block), so memory stays flat. A batch the database refuses after a few
/// retries is dropped and counted rather than retried forever: logs must never stop tasks
/// from being acknowledged. At shutdown it stops after the workers and stores what is left.
/// </summary>
public sealed partial class TaskLogWriter : BackgroundService, ITaskLog
{
    private static readonly TimeSpan s_shutdownDrain = TimeSpan.FromSeconds(5);
    private static readonly Task<bool> s_nothingWaiting = Task.FromResult(true);
    private const int MaxWriteAttempts = 4;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TaskLogOptions _options;
    private readonly TimeProvider _time;
    private readonly TaskGridMetrics _metrics;
    private readonly ILogger<TaskLogWriter> _logger;
    private readonly Channel<Entry> _buffer;
    private readonly ConcurrentDictionary<Guid, int> _waitingByTask = new();
    private TaskCompletionSource _flushNow = NewSignal();
    private long _batches;
    private long _written;
    private long _dropped;

    /// <summary>Creates the writer; it runs as a hosted service of the silo.</summary>
    public TaskLogWriter(NpgsqlDataSource dataSource, IOptions<TaskLogOptions> options, TimeProvider time, TaskGridMetrics metrics, ILogger<TaskLogWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _buffer = Channel.CreateBounded<Entry>(new BoundedChannelOptions(_options.BufferCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Statements written since start.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Lines stored since start.</summary>
    public long LinesWritten => Interlocked.Read(ref _written);

    /// <summary>Lines given up on since start (buffer full for a system message, or a batch the database refused).</summary>
    public long LinesDropped => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public async ValueTask WriteAsync(ClaimedTask task, TaskLogStream stream, string line, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var entry = Queued(new Entry(task.Id, task.Attempt, _time.GetUtcNow(), stream, Clean(line)));
        try
        {
            await _buffer.Writer.WriteAsync(entry, cancellationToken);
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
            Settled(entry);
            if (ex is OperationCanceledException)
            {
                throw;
            }
            Drop(1);
        }
    }

    /// <inheritdoc />
    public void System(ClaimedTask task, string message)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!_options.SystemMessages || (task.Kind == TaskKinds.Noop && !_options.SystemMessagesForNoop))
        {
            return;
        }
        var entry = Queued(new Entry(task.Id, task.Attempt, _time.GetUtcNow(), TaskLogStream.System, Clean(message)));
        if (!_buffer.Writer.TryWrite(entry))
        {
            Settled(entry);
            Drop(1);
        }
    }

    /// <inheritdoc />
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var barrier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _buffer.Writer.WriteAsync(new Entry(Guid.Empty, 0, default, TaskLogStream.System, "", barrier), cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return;
        }
        Volatile.Read(ref _flushNow).TrySetResult();
        await barrier.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> FlushAsync(ClaimedTask task, TimeSpan patience)
    {
        ArgumentNullException.ThrowIfNull(task);
        // Most attempts (every no-op task) have nothing waiting: no timer for them.
        return _waitingByTask.ContainsKey(task.Id) ? FlushWithinAsync(patience) : s_nothingWaiting;
    }

    private async Task<bool> FlushWithinAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await FlushAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Entry>(_options.BatchSize);
        try
        {
            while (await _buffer.Reader.WaitToReadAsync(stoppingToken))
            {
                // Let a chatty task's lines gather into one statement, unless someone waits on a flush.
                var flushNow = Volatile.Read(ref _flushNow);
                await Task.WhenAny(flushNow.Task, Task.Delay(_options.FlushInterval, stoppingToken));
                if (flushNow.Task.IsCompleted)
                {
                    Interlocked.CompareExchange(ref _flushNow, NewSignal(), flushNow);
                }
                // Not cancelled by shutdown: lines taken from the buffer are stored, not lost mid-write.
                await DrainAsync(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // The workers stopped before us: store what they left, for a bounded time.
        _buffer.Writer.TryComplete();
        using var deadline = new CancellationTokenSource(s_shutdownDrain);
        try
        {
            await DrainAsync(batch, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            var left = 0;
            while (_buffer.Reader.TryRead(out var entry))
            {
                entry.Barrier?.TrySetResult();
                left += entry.Barrier is null ? 1 : 0;
                Settled(entry);
            }
            Drop(left);
            LogShutdownDropped(left);
        }
    }

    private async Task DrainAsync(List<Entry> batch, CancellationToken cancellationToken)
    {
        var barriers = new List<TaskCompletionSource>();
        while (true)
        {
            batch.Clear();
            barriers.Clear();
            while (batch.Count < _options.BatchSize && _buffer.Reader.TryRead(out var entry))
            {
                if (entry.Barrier is { } barrier)
                {
                    barriers.Add(barrier);
                }
                else
                {
                    batch.Add(entry);
                }
            }
            if (batch.Count == 0 && barriers.Count == 0)
            {
                return;
            }
            if (batch.Count > 0)
            {
                try
                {
                    await WriteAsync(batch, cancellationToken);
                }
                finally
                {
                    batch.ForEach(Settled);
                }
            }
            foreach (var barrier in barriers)
            {
                barrier.TrySetResult();
            }
        }
    }

    private async Task WriteAsync(List<Entry> batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                await using var command = new NpgsqlCommand(TaskLogQueries.TaskLogInsertMany, connection)
                    .With("task_ids", batch.Select(e => e.TaskId).ToArray())
                    .With("attempts", batch.Select(e => e.Attempt).ToArray())
                    .With("ats", batch.Select(e => e.At).ToArray())
                    .With("streams", batch.Select(e => e.Stream.ToName()).ToArray())
                    .With("lines", batch.Select(e => e.Line).ToArray())
                    .With("channel", TaskLogQueries.NotifyChannel);
                await command.ExecuteNonQueryAsync(cancellationToken);
                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _written, batch.Count);
                _metrics.LogLinesWritten.Add(batch.Count);
                return;
            }
            catch (Exception ex) when (attempt < MaxWriteAttempts && PostgresErrors.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                LogWriteRetried(batch.Count, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Pow(4, attempt - 1)), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Never let the log stop the silo: drop this batch, say so, keep going.
                Drop(batch.Count);
                LogBatchDropped(batch.Count, ex.Message);
                return;
            }
        }
    }

    private Entry Queued(Entry entry)
    {
        _waitingByTask.AddOrUpdate(entry.TaskId, 1, (_, count) => count + 1);
        return entry;
    }

    private void Settled(Entry entry)
    {
        if (entry.Barrier is null && _waitingByTask.AddOrUpdate(entry.TaskId, 0, (_, count) => count - 1) <= 0)
        {
            _waitingByTask.TryRemove(new KeyValuePair<Guid, int>(entry.TaskId, 0));
        }
    }

    private void Drop(int lines)
    {
        if (lines > 0)
        {
            Interlocked.Add(ref _dropped, lines);
            _metrics.LogLinesDropped.Add(lines);
        }
    }

    // PostgreSQL text refuses NUL and cannot encode lone UTF-16 surrogates; one bad line must
    // not lose its whole batch.
    private static string Clean(string line) => StorableText.Clean(line)!;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Entry(Guid TaskId, int Attempt, DateTimeOffset At, TaskLogStream Stream, string Line, TaskCompletionSource? Barrier = null);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} log lines failed (try {Attempt}): {Reason}; retrying")]
    private partial void LogWriteRetried(int count, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dropped {Count} log lines the database would not take: {Reason}")]
    private partial void LogBatchDropped(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutting down with {Count} log lines not yet stored; they are lost")]
    private partial void LogShutdownDropped(int count);
}
