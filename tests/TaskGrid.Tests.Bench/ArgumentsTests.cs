using TaskGrid.Bench;

namespace TaskGrid.Tests.Bench;

public sealed class ArgumentsTests
{
    private const string Url = "postgres://postgres@127.0.0.1:55432/postgres";

    [Fact]
    public void Quick_picks_the_small_sizes_and_options_override_them()
    {
        var args = BenchArguments.Parse(["run", "--quick", "--admin-url", Url, "--runs", "2", "--drain-n", "5_000"]);

        Assert.True(args.Quick);
        Assert.Equal(2, args.Sizes.Runs);
        Assert.Equal(5_000, args.Sizes.DrainTasks);
        Assert.Equal(BenchSizes.Quick.ScaleFinishedTasks, args.Sizes.ScaleFinishedTasks);
        Assert.Equal(6, args.Workloads.Count);
    }

    [Fact]
    public void Only_names_workloads_and_refuses_unknown_ones()
    {
        var args = BenchArguments.Parse(["run", "--admin-url", Url, "--only", "drain, pickup"]);

        Assert.Equal(["drain", "pickup"], args.Workloads.Order());
        Assert.Contains("bogus", Assert.Throws<UsageException>(() => BenchArguments.Parse(["run", "--admin-url", Url, "--only", "bogus"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_admin_url_and_a_known_command_are_required()
    {
        Assert.Throws<UsageException>(() => BenchArguments.Parse(["run", "--quick"]));
        Assert.Throws<UsageException>(() => BenchArguments.Parse(["bench", "--admin-url", Url]));
        Assert.Throws<UsageException>(() => BenchArguments.Parse(["run", "--admin-url", Url, "--colour", "blue"]));
    }

    [Fact]
    public void A_drain_round_needs_its_number_and_the_file_it_is_recorded_in()
    {
        var args = BenchArguments.Parse(["drain", "--admin-url", Url, "--round", "2", "--drain-runs", "/tmp/drains.jsonl", "--quick"]);

        Assert.Equal((2, "/tmp/drains.jsonl"), (args.Round, args.DrainRuns));
        Assert.Equal(BenchSizes.Quick.DrainTasks, args.Sizes.DrainTasks);
        Assert.Throws<UsageException>(() => BenchArguments.Parse(["drain", "--admin-url", Url, "--round", "2"]));
        Assert.Throws<UsageException>(() => BenchArguments.Parse(["drain", "--admin-url", Url, "--drain-runs", "/tmp/drains.jsonl"]));
        Assert.Throws<UsageException>(() => BenchArguments.Parse(["drain", "--admin-url", Url, "--round", "0", "--drain-runs", "/tmp/d.jsonl"]));
    }

    [Fact]
    public void A_drain_round_may_be_limited_to_one_known_configuration()
    {
        string[] round = ["drain", "--admin-url", Url, "--round", "1", "--drain-runs", "/tmp/d.jsonl"];

        Assert.Null(BenchArguments.Parse(round).DrainConfig);
        Assert.Equal("throughput", BenchArguments.Parse([.. round, "--config", "throughput"]).DrainConfig);
        Assert.Equal("default", BenchArguments.Parse([.. round, "--config", "default"]).DrainConfig);
        Assert.Contains("'fast'", Assert.Throws<UsageException>(() => BenchArguments.Parse([.. round, "--config", "fast"])).Message, StringComparison.Ordinal);
        Assert.Throws<UsageException>(() => BenchArguments.Parse(["run", "--admin-url", Url, "--config", "default"]));
    }

    [Fact]
    public void The_throughput_configuration_comes_from_the_option_else_the_environment()
    {
        var fromEnvironment = BenchArguments.Parse(["run", "--admin-url", Url], "prefetch=250,silos=3");
        var fromOption = BenchArguments.Parse(["run", "--admin-url", Url, "--throughput", "prefetch=100"], "prefetch=250");

        Assert.Equal((3, 250), (fromEnvironment.Throughput.Silos, fromEnvironment.Throughput.Prefetch));
        Assert.Equal(100, fromOption.Throughput.Prefetch);
        Assert.Equal(EngineConfig.Throughput.Concurrency, fromOption.Throughput.Concurrency);
    }
}
