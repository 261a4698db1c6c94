namespace TaskGrid.Silo.Workers;

/// <summary>The wake signals of this silo's claim loops; a task notification sets them all.</summary>
internal sealed class WorkSignals
{
    private readonly List<WakeSignal> _signals = [];
    private readonly Lock _gate = new();

    public WakeSignal Register()
    {
        var signal = new WakeSignal();
        lock (_gate)
        {
            _signals.Add(signal);
        }
        return signal;
    }

    public void WakeAll()
    {
        lock (_gate)
        {
            foreach (var signal in _signals)
            {
                signal.Set();
            }
        }
    }
}
