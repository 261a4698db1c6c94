namespace TaskGrid.Silo.Workers;

/// <summary>
/// The wake signals of this silo's claim loops, and of the watchers that want to hear about every
/// piece of news (the due-work timer). News of a known amount of work wakes that many claim loops,
/// idle ones first; news of an unknown amount wakes them all.
/// </summary>
internal sealed class WorkSignals
{
    private readonly List<WakeSignal> _loops = [];
    private readonly List<WakeSignal> _watchers = [];
    private readonly Lock _gate = new();
    private int _next;

    /// <summary>A claim loop's signal.</summary>
    public WakeSignal Register() => Add(_loops);

    /// <summary>A signal set by every piece of news, whatever its amount.</summary>
    public WakeSignal Watch() => Add(_watchers);

    public void WakeAll()
    {
        lock (_gate)
        {
            foreach (var signal in _loops.Concat(_watchers))
            {
                signal.Set();
            }
        }
    }

    /// <summary>
    /// Work for <paramref name="claims"/> claims arrived: wakes that many claim loops, those waiting
    /// for work first. A loop that is busy right now still gets the signal when too few wait: it
    /// then looks again as soon as its current claim is done, so no news is lost.
    /// </summary>
    public void Wake(int claims)
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Set();
            }
            // Waiting loops first, then busy ones, each at most once; a busy loop's signal stays set
            // until its next wait, so it still counts as a loop that will look for the work.
            var chosen = new bool[_loops.Count];
            var woken = 0;
            foreach (var waitingOnly in new[] { true, false })
            {
                for (var i = 0; i < _loops.Count && woken < claims; i++)
                {
                    var at = (_next + i) % _loops.Count;
                    if (!chosen[at] && (!waitingOnly || _loops[at].IsWaiting))
                    {
                        chosen[at] = true;
                        _loops[at].Set();
                        woken++;
                    }
                }
            }
            // Spread single wake-ups over the loops.
            _next = _loops.Count == 0 ? 0 : (_next + 1) % _loops.Count;
        }
    }

    private WakeSignal Add(List<WakeSignal> signals)
    {
        var signal = new WakeSignal();
        lock (_gate)
        {
            signals.Add(signal);
        }
        return signal;
    }
}
