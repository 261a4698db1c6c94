using System.Globalization;
using System.Runtime.InteropServices;

namespace TaskGrid.Bench.Results;

/// <summary>The machine a run happened on, read from /proc, with the load average before and after (a busy machine shows).</summary>
internal sealed record MachineInfo
{
    public required int Cores { get; init; }

    public required double MemoryGib { get; init; }

    public required string Cpu { get; init; }

    public required string Os { get; init; }

    public required string Dotnet { get; init; }

    public string? Postgres { get; init; }

    public string? Node { get; init; }

    public string? LoadAverageAtStart { get; init; }

    public string? LoadAverageAtEnd { get; init; }

    public string? Note { get; init; }

    public static MachineInfo Read() => new()
    {
        Cores = Environment.ProcessorCount,
        MemoryGib = Math.Round(MemTotalKiB() / 1048576.0, 1),
        Cpu = CpuModel(),
        Os = RuntimeInformation.OSDescription,
        Dotnet = RuntimeInformation.FrameworkDescription,
        LoadAverageAtStart = LoadAverage(),
    };

    public static string? LoadAverage() => ReadOrNull("/proc/loadavg") is { } text ? string.Join(' ', text.Split(' ').Take(3)) : null;

    private static string CpuModel() =>
        (ReadOrNull("/proc/cpuinfo") ?? "").Split('\n')
            .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";

    private static double MemTotalKiB()
    {
        var line = (ReadOrNull("/proc/meminfo") ?? "").Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var value = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var kib) ? kib : 0;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
