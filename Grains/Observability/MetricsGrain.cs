using Npgsql;
using TaskGrid.Access;
using TaskGrid.Cluster;
using TaskGrid.Grains.Cluster;
using TaskGrid.Grains.Diagnostics;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Observability;
using TaskGrid.Tasks;

namespace TaskGrid.Grains.Observability;

/// <summary>
/// Reads the cluster's metrics from PostgreSQL: task counters kept by the tasks triggers,
/// membership, and what silos publish to <c>metric_totals</c> and <c>metric_samples</c>.
/// </summary>
internal sealed class MetricsGrain(GrainServices services) : IMetricsGrain
{
    // Steps are aligned to this origin, so every gateway and every poll cuts the same steps.
    private static readonly DateTimeOffset s_origin = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_rateWindow = TimeSpan.FromMinutes(1);

    public Task<IReadOnlyList<MetricFamily>> GetClusterMetricsAsync(CancellationToken cancellationToken = default) =>
        services.Turns.RunStatementAsync<IReadOnlyList<MetricFamily>>("metrics.cluster", async connection =>
        {
            var families = new List<MetricFamily>();
            families.AddRange(await TaskFamiliesAsync(connection, cancellationToken));
            families.AddRange(await MembershipFamiliesAsync(connection, cancellationToken));
            families.AddRange(await TotalsAsync(connection, cancellationToken));
            families.AddRange(await SiloProcessFamiliesAsync(connection, cancellationToken));
            families.AddRange(await RateFamiliesAsync(connection, cancellationToken));
            return families;
        }, cancellationToken);

    public Task<MetricsHistory> GetHistoryAsync(TimeSpan window, TimeSpan step, CancellationToken cancellationToken = default)
    {
        var keep = services.Observability.MetricsHistory;
        if (window < TimeSpan.FromMinutes(1) || window > keep)
        {
            throw new Errors.RequestValidationException("minutes", $"must be between 1 and {(int)keep.TotalMinutes} (the history kept, TaskGrid:Observability:MetricsHistory); got {window.TotalMinutes:0.##}.");
        }
        if (step < TimeSpan.FromSeconds(1) || step > window || window / step > 1000)
        {
            throw new Errors.RequestValidationException("step_seconds", $"must be at least 1 second, at most the window, and cut it into at most 1000 steps; got {step.TotalSeconds:0.##} s.");
        }
        return services.Turns.RunStatementAsync("metrics.history", async connection =>
        {
            var points = new SortedDictionary<DateTimeOffset, Step>();
            await using (var series = Command(MetricQueries.MetricSampleSeries, connection, window, step))
            await using (var reader = await series.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    points[reader.GetFieldValue<DateTimeOffset>(0)] = new Step(
                        reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt32(5));
                }
            }
            await using (var histograms = Command(MetricQueries.MetricSampleHistogramSeries, connection, window, step))
            await using (var reader = await histograms.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (!points.TryGetValue(reader.GetFieldValue<DateTimeOffset>(0), out var point))
                    {
                        continue;
                    }
                    var buckets = reader.GetString(1) == "claim" ? point.ClaimLatency : point.RunDuration;
                    var index = reader.GetInt32(2) - 1;
                    if (index >= 0 && index < buckets.Length)
                    {
                        buckets[index] = reader.GetInt64(3);
                    }
                }
            }
            var now = await NowAsync(connection, cancellationToken);
            var seconds = step.TotalSeconds;
            return new MetricsHistory(now - window, now, seconds, [.. points.Select(p => new MetricsPoint(
                p.Key,
                p.Value.Completed / seconds,
                p.Value.Failed / seconds,
                p.Value.Claimed / seconds,
                p.Value.QueueDepth,
                p.Value.InFlight,
                ToPercentiles(p.Value.ClaimLatency),
                ToPercentiles(p.Value.RunDuration)))]);
        }, cancellationToken);
    }

    public async Task<DashboardSummary> GetSummaryAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var summary = await new Tasks.CatalogGrain(services).SummarizeTasksAsync(caller, cancellationToken);
        var silos = await new ClusterGrain(services).ListSilosAsync(cancellationToken);
        var live = silos.Where(s => s.State is SiloState.Active or SiloState.Draining).ToList();
        var (completed, failed, now) = await services.Turns.RunStatementAsync("metrics.rates", async connection =>
        {
            var rates = await RecentRatesAsync(connection, services, cancellationToken);
            return (rates.Completed, rates.Failed, await NowAsync(connection, cancellationToken));
        }, cancellationToken);
        return new DashboardSummary(
            summary.Scope,
            summary.Tasks,
            Math.Round(completed, 3),
            Math.Round(failed, 3),
            new SiloCounts(live.Count, silos.Count(s => s.State == SiloState.Dead)),
            live.Sum(s => s.Workers),
            live.Sum(s => s.InFlight),
            now);
    }

    private async Task<DateTimeOffset> NowAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var clock = new NpgsqlCommand(MetricQueries.Now, connection).WithNow(services.Clock);
        return await clock.ExecuteScalarAsync(cancellationToken) is DateTime utc
            ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc))
            : services.Clock.TimeProvider.GetUtcNow();
    }

    private NpgsqlCommand Command(string sql, NpgsqlConnection connection, TimeSpan window, TimeSpan step) =>
        new NpgsqlCommand(sql, connection)
            .With("step", step).With("origin", s_origin).With("window", window).WithNow(services.Clock);

    private static Percentiles? ToPercentiles(long[] buckets) =>
        MetricsBuckets.Quantile(buckets, 0.5) is { } p50
            ? new Percentiles(p50, MetricsBuckets.Quantile(buckets, 0.95)!.Value, MetricsBuckets.Quantile(buckets, 0.99)!.Value)
            : null;

    private static async Task<IReadOnlyList<MetricFamily>> TaskFamiliesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tasks = new List<MetricSample>();
        long pending = 0;
        await using var command = new NpgsqlCommand(TaskCountQueries.TaskCountByKindAndStatus, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (kind, status, count) = (reader.GetString(0), reader.GetString(1), reader.GetInt64(2));
            tasks.Add(new MetricSample("taskgrid_tasks", PrometheusNames.Join([("kind", kind), ("status", status)]), count));
            pending += status == TaskState.Pending.ToName() ? count : 0;
        }
        return
        [
            new("taskgrid_tasks", MetricType.Gauge, "Tasks by kind and status, cluster-wide (from counters kept with every change).", tasks),
            new("taskgrid_queue_depth", MetricType.Gauge, "Pending tasks, cluster-wide.", [new MetricSample("taskgrid_queue_depth", "", pending)]),
        ];
    }

    private async Task<IReadOnlyList<MetricFamily>> MembershipFamiliesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var byState = Enum.GetValues<SiloState>().ToDictionary(s => s, _ => 0);
        var ages = new List<MetricSample>();
        var (workers, inFlight) = (0, 0);
        await using var command = new NpgsqlCommand(MembershipQueries.SiloList, connection).WithNow(services.Clock);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var state = SiloStates.Parse(reader.GetString(3));
            byState[state]++;
            if (state is SiloState.Active or SiloState.Draining)
            {
                ages.Add(new MetricSample("taskgrid_silo_heartbeat_age_seconds", PrometheusNames.Join([("silo", reader.GetString(0))]), Math.Max(0, reader.GetDouble(6))));
                workers += reader.GetInt32(7);
                inFlight += reader.GetInt32(8);
            }
        }
        return
        [
            new("taskgrid_silos", MetricType.Gauge, "Silos in the membership table by state (active and draining ones are alive).",
                [.. byState.Select(s => new MetricSample("taskgrid_silos", PrometheusNames.Join([("state", SiloStates.ToName(s.Key))]), s.Value))]),
            new("taskgrid_silo_heartbeat_age_seconds", MetricType.Gauge, "Seconds since each live silo's last heartbeat.", ages),
            new("taskgrid_workers", MetricType.Gauge, "Workers (claim loops) of live silos.", [new MetricSample("taskgrid_workers", "", workers)]),
            new("taskgrid_tasks_in_flight", MetricType.Gauge, "Tasks running on live silos, as their workers last reported.", [new MetricSample("taskgrid_tasks_in_flight", "", inFlight)]),
        ];
    }

    private static async Task<IReadOnlyList<MetricFamily>> TotalsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var families = new List<MetricFamily>();
        await using var command = new NpgsqlCommand(MetricQueries.MetricTotalSum, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        (string Name, MetricType Type, string Help, List<MetricSample> Samples)? current = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var family = reader.GetString(0);
            if (current?.Name != family)
            {
                if (current is { } done)
                {
                    families.Add(new MetricFamily(done.Name, done.Type, done.Help, Ordered(done.Samples, done.Type)));
                }
                current = (family, reader.GetString(1) == "histogram" ? MetricType.Histogram : MetricType.Counter, reader.GetString(2), []);
            }
            current.Value.Samples.Add(new MetricSample(reader.GetString(3), reader.GetString(4), reader.GetDouble(5)));
        }
        if (current is { } last)
        {
            families.Add(new MetricFamily(last.Name, last.Type, last.Help, Ordered(last.Samples, last.Type)));
        }
        return families;
    }

    // A histogram's samples per label set: buckets by bound, then _sum and _count.
    private static List<MetricSample> Ordered(List<MetricSample> samples, MetricType type)
    {
        if (type != MetricType.Histogram)
        {
            return samples;
        }
        return [.. samples
            .GroupBy(s => WithoutLe(s.Labels))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g.OrderBy(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal) ? 0 : s.Name.EndsWith("_sum", StringComparison.Ordinal) ? 1 : 2)
                              .ThenBy(s => Le(s.Labels)))];
    }

    // The le label is written last (PrometheusNames.With), so what precedes it is the series.
    private static string WithoutLe(string labels)
    {
        var at = labels.IndexOf("le=\"", StringComparison.Ordinal);
        return at < 0 ? labels : labels[..at].TrimEnd(',');
    }

    private static double Le(string labels)
    {
        var at = labels.IndexOf("le=\"", StringComparison.Ordinal);
        if (at < 0)
        {
            return 0;
        }
        var value = labels[(at + 4)..].TrimEnd('"');
        return value == "+Inf" ? double.PositiveInfinity
            : double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var bound) ? bound : 0;
    }

    private async Task<IReadOnlyList<MetricFamily>> SiloProcessFamiliesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var (cpu, memory, heap, gcs) = (new List<MetricSample>(), new List<MetricSample>(), new List<MetricSample>(), new List<MetricSample>());
        await using var command = new NpgsqlCommand(MetricQueries.MetricSampleLatestPerSilo, connection)
            .With("window", services.Observability.MetricsPublishInterval * 3).WithNow(services.Clock);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetString(7) is not ("active" or "draining"))
            {
                continue;
            }
            var labels = PrometheusNames.Join([("silo", reader.GetString(0))]);
            var seconds = Math.Max(reader.GetDouble(2), 0.001);
            cpu.Add(new MetricSample("taskgrid_silo_cpu_usage_ratio", labels, reader.GetDouble(3) / seconds));
            memory.Add(new MetricSample("taskgrid_silo_working_set_bytes", labels, reader.GetInt64(4)));
            heap.Add(new MetricSample("taskgrid_silo_gc_heap_bytes", labels, reader.GetInt64(5)));
            gcs.Add(new MetricSample("taskgrid_silo_gc_collections_per_second", labels, reader.GetInt64(6) / seconds));
        }
        return
        [
            new("taskgrid_silo_cpu_usage_ratio", MetricType.Gauge, "CPU each live silo process used over its last publish interval, in cores.", cpu),
            new("taskgrid_silo_working_set_bytes", MetricType.Gauge, "Working set of each live silo process.", memory),
            new("taskgrid_silo_gc_heap_bytes", MetricType.Gauge, "Managed heap size of each live silo process after its last GC.", heap),
            new("taskgrid_silo_gc_collections_per_second", MetricType.Gauge, "Garbage collections per second in each live silo process over its last publish interval.", gcs),
        ];
    }

    private async Task<IReadOnlyList<MetricFamily>> RateFamiliesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var (completed, failed) = await RecentRatesAsync(connection, services, cancellationToken);
        return
        [
            new("taskgrid_task_throughput_per_second", MetricType.Gauge, "Tasks completed per second over the last minute, cluster-wide.",
                [new MetricSample("taskgrid_task_throughput_per_second", "", completed)]),
            new("taskgrid_task_failures_per_second", MetricType.Gauge, "Attempts failed per second over the last minute, cluster-wide.",
                [new MetricSample("taskgrid_task_failures_per_second", "", failed)]),
        ];
    }

    /// <summary>Completions and failed attempts per second over the last minute, from the silos' samples.</summary>
    internal static async Task<(double Completed, double Failed)> RecentRatesAsync(NpgsqlConnection connection, GrainServices services, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(MetricQueries.MetricSampleRecentRates, connection)
            .With("window", s_rateWindow).WithNow(services.Clock);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetDouble(0), reader.GetDouble(1));
    }

    private sealed class Step(long claimed, long completed, long failed, long queueDepth, int inFlight)
    {
        public long Claimed => claimed;

        public long Completed => completed;

        public long Failed => failed;

        public long QueueDepth => queueDepth;

        public int InFlight => inFlight;

        public long[] ClaimLatency { get; } = new long[MetricsBuckets.Seconds.Count + 1];

        public long[] RunDuration { get; } = new long[MetricsBuckets.Seconds.Count + 1];
    }
}
