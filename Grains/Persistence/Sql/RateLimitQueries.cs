namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>
/// SQL of the cluster-wide rate limiters. Permits come from <c>taskgrid_rate_acquire</c>
/// (migration 0005), which locks the limiter row and counts the grants of the sliding window.
/// </summary>
internal static class RateLimitQueries
{
    /// <summary>The columns <see cref="Rows.RateLimitReader"/> reads, with the window's use.</summary>
    public const string Columns = """
        r.name, r.requests_per_minute, r.tokens_per_minute, extract(epoch from r.window_length)::integer,
        r.throttle_factor, case when r.throttled_until > coalesce(@now, now()) then r.throttled_until end,
        greatest(1, floor(r.requests_per_minute
            * case when r.throttled_until > coalesce(@now, now()) then r.throttle_factor else 1 end))::integer,
        u.requests, u.tokens, r.updated_at, r.version
        """;

    private const string Usage = """
        cross join lateral (
            select count(*) as requests, coalesce(sum(g.tokens), 0)::bigint as tokens
            from rate_limit_grants g
            where g.limiter = r.name and g.granted_at > coalesce(@now, now()) - r.window_length
        ) u
        """;

    public const string RateLimitSelect = "select " + Columns + "\nfrom rate_limiters r\n" + Usage + "\nwhere r.name = @name";

    public const string RateLimitList = "select " + Columns + "\nfrom rate_limiters r\n" + Usage + "\norder by r.name";

    /// <summary>Creates or replaces a limiter; answers whether it was new (xmax = 0 on insert).</summary>
    public const string RateLimitUpsert = """
        insert into rate_limiters (name, requests_per_minute, tokens_per_minute, window_length, created_at, updated_at)
        values (@name, @requests_per_minute, @tokens_per_minute, @window, coalesce(@now, now()), coalesce(@now, now()))
        on conflict (name) do update
        set requests_per_minute = excluded.requests_per_minute, tokens_per_minute = excluded.tokens_per_minute,
            window_length = excluded.window_length, updated_at = excluded.updated_at,
            version = rate_limiters.version + 1
        returning (xmax = 0)
        """;

    public const string RateLimitUpdate = """
        update rate_limiters
        set requests_per_minute = coalesce(@requests_per_minute, requests_per_minute),
            tokens_per_minute = case when @clear_tokens then null else coalesce(@tokens_per_minute, tokens_per_minute) end,
            window_length = coalesce(@window, window_length),
            updated_at = coalesce(@now, now()), version = version + 1
        where name = @name
        """;

    public const string RateLimitDelete = "delete from rate_limiters where name = @name";

    public const string RateLimitAcquire = "select granted, grant_id, retry_after from taskgrid_rate_acquire(@name, @tokens, @margin, @now)";

    /// <summary>Replaces a grant's reserved tokens by what the call really used.</summary>
    public const string RateLimitGrantUsage = "update rate_limit_grants set tokens = @tokens where id = @id";

    /// <summary>
    /// A provider answered 429: lower the limiter by @factor (compounding while already
    /// throttled, never below @floor) for @duration.
    /// </summary>
    public const string RateLimitThrottle = """
        update rate_limiters
        set throttle_factor = greatest(@floor, @factor * case when throttled_until > coalesce(@now, now()) then throttle_factor else 1 end),
            throttled_until = coalesce(@now, now()) + @duration
        where name = @name
        """;

    /// <summary>Drops grants that no window counts any more (the scheduler's rate-limit duty).</summary>
    public const string RateLimitGrantDeleteOld = """
        delete from rate_limit_grants g
        using rate_limiters r
        where g.limiter = r.name and g.granted_at < coalesce(@now, now()) - r.window_length - interval '1 minute'
        """;
}
