namespace TaskGrid.Bench.Measurement;

/// <summary>
/// Samples the resident memory of a changing set of processes every 100 ms and keeps the peak
/// per role ("silo", "gateway"), the largest single process of that role. Started around a
/// load phase; <see cref="StopAsync"/> returns the peaks.
/// </summary>
internal sealed class RssWatch : IAsyncDisposable
{
    private static readonly TimeSpan s_every = TimeSpan.FromMilliseconds(100);

    private readonly Func<IEnumerable<(string Role, int Pid)>> _targets;
    private readonly Dictionary<string, long> _peaks = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RssWatch(Func<IEnumerable<(string Role, int Pid)>> targets)
    {
        _targets = targets;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Stops sampling and returns the peak RSS per role in MiB.</summary>
    public async Task<IReadOnlyDictionary<string, double>> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Sample();
        lock (_peaks)
        {
            return _peaks.ToDictionary(p => p.Key, p => p.Value / 1024.0);
        }
    }

    /// <summary>The peak of <paramref name="role"/> in <paramref name="peaks"/>, or null when no such process was seen.</summary>
    public static double? Peak(IReadOnlyDictionary<string, double> peaks, string role) => peaks.TryGetValue(role, out var mib) ? mib : null;

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _loop;
        }
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(s_every);
        try
        {
            do
            {
                Sample();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Sample()
    {
        foreach (var (role, pid) in _targets())
        {
            if (ProcStatus.ReadRssKiB(pid) is not { } kib)
            {
                continue;
            }
            lock (_peaks)
            {
                _peaks[role] = Math.Max(kib, _peaks.GetValueOrDefault(role));
            }
        }
    }
}
