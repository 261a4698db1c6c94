namespace TaskGrid.Tests.Integration.Support;

internal static class Times
{
    /// <summary>PostgreSQL keeps microseconds; the test clock has 100 ns ticks.</summary>
    public static void Equal(DateTimeOffset expected, DateTimeOffset? actual)
    {
        Assert.NotNull(actual);
        Assert.True((expected - actual.Value).Duration() < TimeSpan.FromMilliseconds(1), $"expected {expected:O}, got {actual:O}");
    }
}
