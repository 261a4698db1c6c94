namespace TaskGrid.Grains.Persistence;

/// <summary>
/// The time SQL statements use. With the system clock, statements read the database's
/// <c>now()</c> so that every silo agrees on one clock; with a test clock, the test's time is
/// passed as <c>@now</c> (every statement uses <c>coalesce(@now, now())</c>).
/// </summary>
public sealed class DbClock(TimeProvider timeProvider)
{
    /// <summary>The value to pass as <c>@now</c>: null for the database clock.</summary>
    public DateTimeOffset? Now => ReferenceEquals(timeProvider, TimeProvider.System) ? null : timeProvider.GetUtcNow();

    /// <summary>The time provider behind this clock.</summary>
    public TimeProvider TimeProvider => timeProvider;
}
