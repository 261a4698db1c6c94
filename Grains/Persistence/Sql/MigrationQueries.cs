namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>SQL of the <c>schema_migrations</c> table and the migration lock.</summary>
internal static class MigrationQueries
{
    /// <summary>An arbitrary, fixed advisory lock key ("TaskGrid" in ASCII) held while migrating.</summary>
    public const long LockKey = 0x5461736b47726964;

    public const string LockAcquire = "select pg_advisory_lock(@key)";

    public const string LockRelease = "select pg_advisory_unlock(@key)";

    public const string TableCreate = """
        create table if not exists schema_migrations (
            version     integer primary key,
            name        text not null,
            checksum    text not null,
            applied_at  timestamptz not null default now()
        )
        """;

    public const string ListApplied = "select version, checksum from schema_migrations order by version";

    public const string LatestApplied = "select coalesce(max(version), 0) from schema_migrations";

    public const string Record = """
        insert into schema_migrations (version, name, checksum)
        values (@version, @name, @checksum)
        """;
}
