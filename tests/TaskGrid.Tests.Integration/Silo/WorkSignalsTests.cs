using TaskGrid.Silo.Workers;

namespace TaskGrid.Tests.Integration.Silo;

/// <summary>News of work wakes as many claim loops as it is worth, idle ones first, and is never lost.</summary>
public sealed class WorkSignalsTests
{
    private static readonly TimeSpan s_long = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task One_task_wakes_one_idle_loop_and_every_watcher()
    {
        var signals = new WorkSignals();
        var loops = new[] { signals.Register(), signals.Register(), signals.Register() };
        var watcher = signals.Watch();
        var waits = loops.Select(l => l.WaitAsync(s_long, CancellationToken.None)).ToArray();
        var watching = watcher.WaitAsync(s_long, CancellationToken.None);

        signals.Wake(1);

        Assert.True(await watching);
        var first = await Task.WhenAny(waits);
        Assert.True(await first);
        await Task.Delay(50);
        Assert.Equal(1, waits.Count(w => w.IsCompleted));
        signals.Wake(2);
        Assert.All(await Task.WhenAll(waits), Assert.True);
    }

    [Fact]
    public async Task News_worth_more_than_the_idle_loops_reaches_busy_loops_when_they_next_wait()
    {
        var signals = new WorkSignals();
        var idle = signals.Register();
        var busy = signals.Register();
        var waiting = idle.WaitAsync(s_long, CancellationToken.None);

        signals.Wake(2);

        Assert.True(await waiting);
        // The busy loop was not waiting: its next wait returns at once instead of missing the news.
        var next = busy.WaitAsync(s_long, CancellationToken.None);
        Assert.Same(next, await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(30))));
        Assert.True(await next);
    }

    [Fact]
    public async Task Single_wake_ups_take_turns_among_idle_loops()
    {
        var signals = new WorkSignals();
        var loops = new[] { signals.Register(), signals.Register() };
        var woken = new List<int>();
        for (var round = 0; round < 4; round++)
        {
            using var roundOver = new CancellationTokenSource();
            var waits = loops.Select(l => l.WaitAsync(s_long, roundOver.Token)).ToArray();
            signals.Wake(1);
            var first = await Task.WhenAny(waits);
            woken.Add(Array.IndexOf(waits, first));
            await roundOver.CancelAsync();
            await Task.WhenAll(waits.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
        Assert.Contains(0, woken);
        Assert.Contains(1, woken);
    }
}
