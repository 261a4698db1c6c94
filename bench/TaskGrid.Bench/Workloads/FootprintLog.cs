using TaskGrid.Bench.Measurement;
using TaskGrid.Bench.Results;

namespace TaskGrid.Bench.Workloads;

/// <summary>
/// Resident memory (VmRSS) seen while the other workloads ran: a process at rest (started,
/// warmed up, idle) and its peak under load. The largest value per process, state and
/// situation becomes a footprint row.
/// </summary>
internal sealed class FootprintLog
{
    private readonly List<Observation> _seen = [];

    public bool HasSiloAtRest => Has("silo", "at rest");

    public bool HasSiloUnderLoad => Has("silo", "under load");

    public void Record(string process, string state, string situation, double? mebibytes)
    {
        if (mebibytes is not { } value)
        {
            return;
        }
        lock (_seen)
        {
            _seen.Add(new Observation(process, state, situation, value));
        }
    }

    public IReadOnlyList<ResultRow> Rows()
    {
        lock (_seen)
        {
            return [.. _seen
                .GroupBy(o => (o.Process, o.State, o.Situation))
                .OrderBy(g => g.Key.Process, StringComparer.Ordinal).ThenBy(g => g.Key.State, StringComparer.Ordinal).ThenBy(g => g.Key.Situation, StringComparer.Ordinal)
                .Select(g => new ResultRow
                {
                    System = SystemNames.TaskGrid,
                    Workload = WorkloadNames.Footprint,
                    Setting = $"{g.Key.Process}, {g.Key.State} ({g.Key.Situation})",
                    Extra = new()
                    {
                        ["process"] = g.Key.Process,
                        ["state"] = g.Key.State,
                        ["situation"] = g.Key.Situation,
                        ["rss_mib"] = Stats.Round(g.Max(o => o.MiB), 1),
                        ["samples"] = g.Count(),
                    },
                })];
        }
    }

    private bool Has(string process, string state)
    {
        lock (_seen)
        {
            return _seen.Any(o => o.Process == process && o.State == state);
        }
    }

    private sealed record Observation(string Process, string State, string Situation, double MiB);
}
