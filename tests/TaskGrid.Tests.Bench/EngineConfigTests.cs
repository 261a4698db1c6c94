using TaskGrid.Bench;

namespace TaskGrid.Tests.Bench;

public sealed class EngineConfigTests
{
    [Fact]
    public void A_spec_round_trips_and_becomes_worker_settings()
    {
        var config = EngineConfig.Parse("x", "silos=1, workers=4, concurrency=3000, prefetch=1500, ack=2500", EngineConfig.Default);

        Assert.Equal("silos=1,workers=4,concurrency=3000,prefetch=1500,ack=2500", config.Spec);
        Assert.Equal(config, EngineConfig.Parse("x", config.Spec, EngineConfig.Default));
        var environment = config.SiloEnvironment();
        Assert.Equal("4", environment["TaskGrid__Worker__Workers"]);
        Assert.Equal("1500", environment["TaskGrid__Worker__Prefetch"]);
        Assert.Equal("2500", environment["TaskGrid__Worker__AckBatchSize"]);
    }

    [Fact]
    public void The_default_configuration_is_what_taskgrid_up_runs()
    {
        Assert.Equal("silos=2,workers=2,concurrency=16,prefetch=10,ack=500", EngineConfig.Default.Spec);
    }

    [Theory]
    [InlineData("prefetch=0")]
    [InlineData("prefetch=ten")]
    [InlineData("lanes=3")]
    [InlineData("silos")]
    public void Bad_specs_are_refused_with_the_pair_named(string spec)
    {
        Assert.Throws<UsageException>(() => EngineConfig.Parse("x", spec, EngineConfig.Default));
    }
}
