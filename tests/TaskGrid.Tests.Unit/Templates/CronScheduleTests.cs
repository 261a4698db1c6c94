using TaskGrid.Templates;

namespace TaskGrid.Tests.Unit.Templates;

public sealed class CronScheduleTests
{
    private static CronSchedule Parse(string cron, string zone = "UTC")
    {
        Assert.True(CronSchedule.TryParse(cron, zone, out var schedule, out var error), error);
        return schedule!;
    }

    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("* * * * *", "2026-03-10T10:15:30Z", "2026-03-10T10:16:00Z")]
    [InlineData("0 3 * * *", "2026-03-10T10:15:00Z", "2026-03-11T03:00:00Z")]
    [InlineData("*/15 * * * *", "2026-03-10T10:15:00Z", "2026-03-10T10:30:00Z")]
    [InlineData("5-10/5 * * * *", "2026-03-10T10:06:00Z", "2026-03-10T10:10:00Z")]
    [InlineData("0 9 * * mon-fri", "2026-03-13T10:00:00Z", "2026-03-16T09:00:00Z")]
    [InlineData("0 0 1 jan *", "2026-03-10T10:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("0 0 29 2 *", "2026-03-10T10:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("0 12 13 * 5", "2026-03-10T10:00:00Z", "2026-03-13T12:00:00Z")]
    [InlineData("0 0 * * 7", "2026-03-10T10:00:00Z", "2026-03-15T00:00:00Z")]
    public void Next_is_the_first_matching_minute_strictly_after(string cron, string after, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Parse(cron).Next(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Either_day_field_matches_when_both_are_restricted()
    {
        // The 13th (a Friday here) and every Monday, as in Vixie cron.
        var schedule = Parse("0 0 13 * mon");
        Assert.Equal(Utc(2026, 3, 16, 0, 0), schedule.Next(Utc(2026, 3, 13, 1, 0)));
        Assert.Equal(Utc(2026, 3, 13, 0, 0), schedule.Next(Utc(2026, 3, 10, 1, 0)));
    }

    [Fact]
    public void Wall_clock_times_are_read_in_the_time_zone_across_daylight_saving()
    {
        var schedule = Parse("0 3 * * *", "Europe/Paris");
        // Winter: UTC+1; after the 29 March 2026 change: UTC+2.
        Assert.Equal(Utc(2026, 3, 28, 2, 0), schedule.Next(Utc(2026, 3, 28, 0, 0)));
        Assert.Equal(Utc(2026, 3, 29, 1, 0), schedule.Next(Utc(2026, 3, 28, 3, 0)));
        Assert.Equal(Utc(2026, 3, 30, 1, 0), schedule.Next(Utc(2026, 3, 29, 1, 0)));
    }

    [Fact]
    public void A_time_skipped_by_spring_forward_does_not_fire_and_a_repeated_one_fires_once()
    {
        // 02:30 does not exist in Paris on 29 March 2026; it does on the 30th.
        var skipped = Parse("30 2 * * *", "Europe/Paris");
        Assert.Equal(Utc(2026, 3, 30, 0, 30), skipped.Next(Utc(2026, 3, 28, 12, 0)));
        // 02:30 happens twice on 25 October 2026: once only, at the first (UTC+2) occurrence.
        var repeated = Parse("30 2 * * *", "Europe/Paris");
        var first = repeated.Next(Utc(2026, 10, 24, 12, 0));
        Assert.Equal(Utc(2026, 10, 25, 0, 30), first);
        Assert.Equal(Utc(2026, 10, 26, 1, 30), repeated.Next(first!.Value));
    }

    [Theory]
    [InlineData("* * * *", "five")]
    [InlineData("60 * * * *", "minute")]
    [InlineData("* 24 * * *", "hour")]
    [InlineData("* * 0 * *", "day of month")]
    [InlineData("* * * 13 *", "month")]
    [InlineData("* * * * 8", "day of week")]
    [InlineData("*/0 * * * *", "step")]
    [InlineData("10-5 * * * *", "backwards")]
    [InlineData("1,,2 * * * *", "empty")]
    [InlineData("* * * foo *", "month")]
    public void Bad_expressions_are_refused_with_a_reason(string cron, string reason)
    {
        Assert.False(CronSchedule.TryParse(cron, "UTC", out _, out var error));
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_unknown_time_zone_is_refused()
    {
        Assert.False(CronSchedule.TryParse("* * * * *", "Mars/Olympus", out _, out var error));
        Assert.Contains("time_zone", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_date_that_never_comes_has_no_next_tick() =>
        Assert.Null(Parse("0 0 30 2 *").Next(Utc(2026, 1, 1, 0, 0)));
}
