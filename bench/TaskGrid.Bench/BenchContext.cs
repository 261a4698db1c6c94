using System.Globalization;
using TaskGrid.Bench.Cluster;
using TaskGrid.Bench.Workloads;

namespace TaskGrid.Bench;

/// <summary>What every workload needs: the arguments, the server, the memory record, and a progress log.</summary>
internal sealed class BenchContext(BenchArguments arguments, BenchServer server)
{
    private readonly Lock _pidFile = new();

    public BenchArguments Arguments { get; } = arguments;

    public BenchSizes Sizes => Arguments.Sizes;

    public BenchServer Server { get; } = server;

    /// <summary>Resident memory seen during the workloads, reported as the footprint workload.</summary>
    public FootprintLog Footprint { get; } = new();

    /// <summary>
    /// Whether databases are kept after their workload (<c>TASKGRID_BENCH_KEEP=1</c>), for
    /// looking at plans and tables afterwards. Each workload still starts from an empty one.
    /// </summary>
    public bool KeepDatabases { get; } = Environment.GetEnvironmentVariable("TASKGRID_BENCH_KEEP") == "1";

    /// <summary>The admin key every benchmark gateway starts with.</summary>
    public string AdminKey { get; } = "tg_bench_" + Guid.NewGuid().ToString("N");

    /// <summary>The configurations compared: <see cref="EngineConfig.Default"/> and the throughput one.</summary>
    public IReadOnlyList<EngineConfig> Configs => [EngineConfig.Default, Arguments.Throughput];

    /// <summary>A progress line on standard error (standard output carries the report).</summary>
    public static void Say(string message) =>
        Console.Error.WriteLine($"[bench {DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");

    /// <summary>Notes a started process in the pid file, so scripts/bench.sh can stop it if this driver dies.</summary>
    public void Started(int pid)
    {
        if (Arguments.PidFile is not { } file)
        {
            return;
        }
        lock (_pidFile)
        {
            File.AppendAllText(file, pid.ToString(CultureInfo.InvariantCulture) + "\n");
        }
    }
}
