using TaskGrid.Bench.Measurement;
using TaskGrid.Bench.Workloads;

namespace TaskGrid.Tests.Bench;

public sealed class DrainRecordTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"tg-drains-{Guid.NewGuid():N}.jsonl");

    [Fact]
    public void Rounds_appended_by_separate_drain_commands_are_read_back_whole_and_in_order()
    {
        var first = new DrainRecord("throughput", 1,
            new DrainRun(100_000, 55_123.4, 44_000, 512.5, 61_000, [40.5, 120.25, 250], 104.5, new CpuUse(0.9, 2.1, 3.2)),
            27_000, 88.5, 140.25);
        var second = first with { Config = "default", Run = 2, GatewayAtRestMiB = null, Drain = first.Drain with { SiloPeakMiB = null } };

        DrainRecord.Append(_file, first);
        DrainRecord.Append(_file, second);
        var read = DrainRecord.Read(_file);

        Assert.Equal(2, read.Count);
        Assert.Equal(first with { Drain = read[0].Drain }, read[0]);
        Assert.Equal(first.Drain with { RunMs = read[0].Drain.RunMs }, read[0].Drain);
        Assert.Equal(first.Drain.RunMs, read[0].Drain.RunMs);
        Assert.Equal(first.Drain.CpuPerTaskUs, read[0].Drain.CpuPerTaskUs);
        Assert.Equal(("default", 2, (double?)null, (double?)null), (read[1].Config, read[1].Run, read[1].GatewayAtRestMiB, read[1].Drain.SiloPeakMiB));
    }

    [Fact]
    public void No_file_means_no_rounds_recorded()
    {
        Assert.Empty(DrainRecord.Read(_file));
    }

    public void Dispose() => File.Delete(_file);
}
