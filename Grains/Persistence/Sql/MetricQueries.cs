namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>
/// SQL of <c>metric_totals</c> and <c>metric_samples</c> (migration 0004): what silos publish
/// and what gateways read for <c>/v1/metrics</c> and the dashboard's charts.
/// </summary>
internal static class MetricQueries
{
    /// <summary>
    /// A silo incarnation's cumulative values. <c>greatest</c> makes a repeated publish (a reply
    /// lost with its connection) harmless; only a current member may publish, so a zombie
    /// incarnation cannot revive a source that was already folded into 'retired'.
    /// </summary>
    public const string MetricTotalUpsert = """
        insert into metric_totals (source, family, type, help, sample, labels, value, updated_at)
        select @source, t.family, t.type, t.help, t.sample, t.labels, t.value, coalesce(@now, now())
        from unnest(@families::text[], @types::text[], @helps::text[], @samples::text[], @labels::text[], @values::float8[])
             as t(family, type, help, sample, labels, value)
        where exists (select 1 from silos s
                      where s.name = @silo and s.incarnation::text = @source and s.state in ('active', 'draining'))
        order by t.sample, t.labels
        on conflict (source, sample, labels) do update
        set value = greatest(metric_totals.value, excluded.value), updated_at = excluded.updated_at
        """;

    /// <summary>One publish interval of one silo; the queue depth comes from the task counters.</summary>
    public const string MetricSampleInsert = """
        insert into metric_samples (silo_name, at, interval_seconds, claimed, completed, failed, queue_depth, in_flight,
                                    claim_latency, run_duration, cpu_seconds, working_set_bytes, gc_heap_bytes, gc_collections)
        values (@silo, coalesce(@now, now()), @interval_seconds, @claimed, @completed, @failed,
                (select coalesce(sum(count), 0)::bigint from task_counts where status = 'pending'),
                @in_flight, @claim_latency, @run_duration, @cpu_seconds, @working_set_bytes, @gc_heap_bytes, @gc_collections)
        on conflict (silo_name, at) do nothing
        """;

    /// <summary>Every source's totals summed per sample: the cluster's counters and histograms.</summary>
    public const string MetricTotalSum = """
        select family, type, min(help), sample, labels, sum(value)
        from metric_totals
        group by family, type, sample, labels
        order by family, labels, sample
        """;

    /// <summary>
    /// Folds the totals of incarnations that are no longer members into 'retired' (maintenance
    /// duty). The rows move in one statement, so the sums never dip or double.
    /// </summary>
    public const string MetricTotalFoldRetired = """
        with gone as (
            delete from metric_totals m
            where m.source <> 'retired'
              and not exists (select 1 from silos s
                              where s.incarnation::text = m.source and s.state in ('active', 'draining'))
            returning family, type, help, sample, labels, value
        )
        insert into metric_totals (source, family, type, help, sample, labels, value, updated_at)
        select 'retired', family, type, min(help), sample, labels, sum(value), coalesce(@now, now())
        from gone
        group by family, type, sample, labels
        order by sample, labels
        on conflict (source, sample, labels) do update
        set value = metric_totals.value + excluded.value, updated_at = excluded.updated_at
        """;

    /// <summary>Drops samples older than the history the dashboard shows (maintenance duty).</summary>
    public const string MetricSampleDeleteOld = """
        delete from metric_samples
        where ctid = any(array(select ctid from metric_samples
                               where at < coalesce(@now, now()) - @keep
                               limit @batch))
        """;

    /// <summary>
    /// Samples per step of @step over the last @window, summed over silos (the queue depth is a
    /// cluster gauge every silo reads: the step keeps the largest).
    /// </summary>
    public const string MetricSampleSeries = """
        select date_bin(@step, at, @origin) as bucket,
               sum(claimed)::bigint, sum(completed)::bigint, sum(failed)::bigint,
               max(queue_depth)::bigint,
               -- Running tasks: the sum over silos, averaged over each silo's samples in the step.
               round(sum(in_flight)::float8 / greatest(count(*)::float8 / count(distinct silo_name), 1))::integer
        from metric_samples
        where at > coalesce(@now, now()) - @window
        group by bucket
        order by bucket
        """;

    /// <summary>The same steps' histogram buckets, summed elementwise over samples (1-based bucket numbers).</summary>
    public const string MetricSampleHistogramSeries = """
        select date_bin(@step, s.at, @origin) as bucket, 'claim' as histogram, b.n::integer, sum(b.v)::bigint
        from metric_samples s cross join lateral unnest(s.claim_latency) with ordinality as b(v, n)
        where s.at > coalesce(@now, now()) - @window
        group by 1, 3
        union all
        select date_bin(@step, s.at, @origin), 'run', b.n::integer, sum(b.v)::bigint
        from metric_samples s cross join lateral unnest(s.run_duration) with ordinality as b(v, n)
        where s.at > coalesce(@now, now()) - @window
        group by 1, 3
        """;

    /// <summary>Each silo's newest sample, for per-process statistics of the silos.</summary>
    public const string MetricSampleLatestPerSilo = """
        select distinct on (m.silo_name) m.silo_name, m.at, m.interval_seconds, m.cpu_seconds,
               m.working_set_bytes, m.gc_heap_bytes, m.gc_collections, s.state
        from metric_samples m
        join silos s on s.name = m.silo_name
        where m.at > coalesce(@now, now()) - @window
        order by m.silo_name, m.at desc
        """;

    /// <summary>Completions and failures per second over the last @window, cluster-wide.</summary>
    public const string MetricSampleRecentRates = """
        select coalesce(sum(completed), 0)::float8 / extract(epoch from @window)::float8,
               coalesce(sum(failed), 0)::float8 / extract(epoch from @window)::float8
        from metric_samples
        where at > coalesce(@now, now()) - @window
        """;

    /// <summary>The database's now, for aligning steps.</summary>
    public const string Now = "select coalesce(@now, now())";
}
