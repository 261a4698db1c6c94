using TaskGrid.Bench.Measurement;

namespace TaskGrid.Tests.Bench;

public sealed class StatsTests
{
    [Fact]
    public void Percentiles_are_nearest_rank_like_percentile_disc()
    {
        var samples = Enumerable.Range(1, 200).Select(i => (double)i).Reverse();

        var (p50, p95, p99) = Stats.Percentiles(samples);

        Assert.Equal(100, p50);
        Assert.Equal(190, p95);
        Assert.Equal(198, p99);
    }

    [Fact]
    public void A_single_sample_is_every_percentile_and_none_gives_null()
    {
        Assert.Equal((7.0, 7.0, 7.0), Stats.Percentiles([7.0]));
        Assert.Equal((null, null, null), Stats.Percentiles([]));
    }

    [Fact]
    public void Median_skips_missing_values_and_averages_the_middle_pair()
    {
        Assert.Equal(2.5, Stats.Median([4, null, 1, 2, 3]));
        Assert.Equal(3, Stats.Median([5, 3, 1]));
        Assert.Null(Stats.Median([null]));
    }

    [Fact]
    public void Round_drops_values_that_are_not_finite()
    {
        Assert.Equal(1.24, Stats.Round(1.235, 2));
        Assert.Null(Stats.Round(double.NaN, 2));
        Assert.Null(Stats.Round(null, 2));
    }
}
