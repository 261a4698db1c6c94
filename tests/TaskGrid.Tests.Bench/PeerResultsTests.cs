using TaskGrid.Bench.Results;

namespace TaskGrid.Tests.Bench;

public sealed class PeerResultsTests
{
    // Lines as lib/common.mjs record() and pgbench.sh emit() write them (trimmed to the fields read).
    private static readonly string[] s_results =
    [
        """{"ts":"2026-11-22T05:59:22Z","system":"graphile-worker","version":"0.18.0","node":"v22.23.3","setting":"c24-batch","config":{"concurrentJobs":24},"run":1,"n":20000,"enqueue_bulk_jps":67707,"process_jps":40000,"process_ms":500,"steady_jps":50528,"first_job_ms":100,"lat_p50_ms":2.9,"lat_p95_ms":4.1,"lat_p99_ms":6.0,"lat_max_ms":7,"lat_lost":0,"lat_n":200,"lat_gap_ms":20}""",
        """{"ts":"2026-11-22T06:00:22Z","system":"graphile-worker","version":"0.18.0","node":"v22.23.3","setting":"c24-batch","config":{"concurrentJobs":24},"run":2,"n":20000,"enqueue_bulk_jps":50013,"process_jps":20000,"process_ms":1000,"steady_jps":31190,"first_job_ms":200,"lat_p50_ms":3.1,"lat_p95_ms":4.5,"lat_p99_ms":9.0,"lat_max_ms":9,"lat_lost":1,"lat_n":200,"lat_gap_ms":20}""",
        """{"ts":"2026-11-22T06:01:22Z","system":"pg-boss","version":"12.35.0","setting":"b100-c2","run":1,"n":20000,"process_jps":22559,"process_ms":887,"steady_jps":24167,"first_job_ms":87,"lat_p50_ms":4.02,"lat_p95_ms":5.12,"lat_p99_ms":8.15,"lat_lost":0,"lat_n":200,"lat_gap_ms":20}""",
        """{"ts":"2026-11-22T06:02:22Z","system":"pg-boss","version":"12.35.0","setting":"b1-c10-poll","run":1,"n":20000,"process_jps":5,"process_ms":20000,"process_capped":"100/20000 done in 20000 ms","lat_p50_ms":16700}""",
        """{"ts":"2026-11-22T06:03:22Z","system":"postgres (pgbench)","version":"15.18","setting":"claim+complete prepared c10","run":1,"tps":6293.5,"lat_avg_ms":1.59,"duration_s":20,"available_left":100}""",
        "",
    ];

    private static readonly string[] s_rss =
    [
        """{"system":"graphile-worker","setting":"c24-batch","run":1,"n":20000,"rss_peak_kb":204800}""",
        """{"system":"graphile-worker","setting":"c24-batch","run":2,"n":20000,"rss_peak_kb":307200}""",
    ];

    [Fact]
    public void Drain_rate_runs_from_the_first_job_and_is_the_median_over_runs()
    {
        var rows = PeerResults.Read(s_results, s_rss);

        var drain = Assert.Single(rows, r => r.System == "graphile-worker" && r.Workload == "drain");
        // Run 1: 20000 / 0.4 s = 50000; run 2: 20000 / 0.8 s = 25000.
        Assert.Equal(37500, drain.JobsPerS);
        Assert.Equal(30000, drain.Number("wall_jobs_per_s"));
        Assert.Equal(25000, drain.Number("jobs_per_s_min"));
        Assert.Equal([50000, 25000], drain.Numbers("jobs_per_s_by_run"));
        Assert.Equal([1, 2], drain.Numbers("run_numbers"));
        Assert.Equal(["2026-11-22T05:59:22Z", "2026-11-22T06:00:22Z"], drain.Texts("finished_at_by_run"));
        Assert.Equal(2, drain.Number("runs"));
        Assert.Equal("c24-batch", drain.Setting);
        Assert.Equal("v22.23.3", drain.Text("node"));
    }

    [Fact]
    public void Pickup_takes_the_harness_latency_and_counts_lost_jobs()
    {
        var rows = PeerResults.Read(s_results, []);

        var pickup = Assert.Single(rows, r => r.System == "graphile-worker" && r.Workload == "pickup");
        Assert.Equal((3.0, 4.3, 7.5), (pickup.P50Ms!.Value, pickup.P95Ms!.Value, pickup.P99Ms!.Value));
        Assert.Equal(1, pickup.Number("lost"));
        Assert.Null(pickup.JobsPerS);
    }

    [Fact]
    public void Capped_runs_are_left_out_and_pgbench_becomes_a_postgres_row()
    {
        var rows = PeerResults.Read(s_results, []);

        Assert.DoesNotContain(rows, r => r.Setting == "b1-c10-poll");
        var raw = Assert.Single(rows, r => r.System == "postgres");
        Assert.Equal("pgbench claim+complete prepared c10", raw.Setting);
        Assert.Equal(6294, raw.JobsPerS);
        Assert.Equal(1.59, raw.Number("lat_avg_ms"));
    }

    [Fact]
    public void Peak_rss_becomes_a_footprint_row_in_MiB()
    {
        var footprint = Assert.Single(PeerResults.Read([], s_rss));

        Assert.Equal("footprint", footprint.Workload);
        Assert.Equal(250, footprint.Number("rss_mib"));
    }
}
