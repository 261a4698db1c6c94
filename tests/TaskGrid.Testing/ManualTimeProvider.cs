namespace TaskGrid.Testing;

/// <summary>
/// A clock that moves only when told (the feed has no Microsoft.Extensions.TimeProvider.Testing).
/// SQL receives its time as <c>@now</c>, so tests can expire leases and TTLs without sleeping.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    /// <summary>Starts at the current real time.</summary>
    public ManualTimeProvider() : this(DateTimeOffset.UtcNow)
    {
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
