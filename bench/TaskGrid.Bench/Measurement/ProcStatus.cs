using System.Globalization;

namespace TaskGrid.Bench.Measurement;

/// <summary>
/// Resident memory (<c>/proc/&lt;pid&gt;/status</c>, VmRSS) and CPU time (<c>/proc/&lt;pid&gt;/stat</c>,
/// utime + stime; <c>/proc/stat</c> for the whole machine) of processes. CPU times are in clock
/// ticks of 1/100 s, the USER_HZ every Linux build reports them in.
/// </summary>
internal static class ProcStatus
{
    private const double TicksPerSecond = 100;

    /// <summary>The process's resident set in KiB, or null when it has exited.</summary>
    public static long? ReadRssKiB(int pid)
    {
        try
        {
            return ParseVmRssKiB(File.ReadAllText($"/proc/{pid}/status"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>CPU seconds the process has used (user + system), or null when it has exited.</summary>
    public static double? ReadCpuSeconds(int pid)
    {
        try
        {
            return ParseCpuSeconds(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>utime + stime from a <c>/proc/&lt;pid&gt;/stat</c> line; the command name may hold spaces, so fields count from its closing parenthesis.</summary>
    public static double? ParseCpuSeconds(string stat)
    {
        var end = stat.LastIndexOf(')');
        var fields = stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After the name: state is field 3 of the line, utime field 14 and stime field 15.
        return end > 0 && fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
                ? (user + system) / TicksPerSecond
                : null;
    }

    /// <summary>Busy CPU seconds of the whole machine since boot (every state but idle and iowait), from the first line of /proc/stat.</summary>
    public static double? ReadMachineBusySeconds()
    {
        try
        {
            return ParseMachineBusySeconds(File.ReadAllText("/proc/stat"));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static double? ParseMachineBusySeconds(string stat)
    {
        var first = stat.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (first.Length < 8 || first[0] != "cpu")
        {
            return null;
        }
        var ticks = first.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal
        return (ticks.Sum() - ticks[3] - ticks[4]) / TicksPerSecond;
    }

    /// <summary>The VmRSS line's value in KiB ("VmRSS:	  123456 kB").</summary>
    public static long? ParseVmRssKiB(string status)
    {
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                continue;
            }
            var parts = line["VmRSS:".Length..].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib : null;
        }
        return null;
    }
}
