namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>SQL of <c>artifact_chunks</c>, the bytes of the PostgreSQL artifact store.</summary>
internal static class ArtifactChunkQueries
{
    public const string ChunkInsert = """
        insert into artifact_chunks (key, seq, data, written_at)
        values (@key, @seq, @data, coalesce(@now, now()))
        """;

    public const string ChunkSelect = "select data from artifact_chunks where key = @key and seq = @seq";

    public const string ChunkDeleteByKey = "delete from artifact_chunks where key = @key";

    /// <summary>
    /// Removes uploads that were never finished (their chunks have no blob) once they are older
    /// than @age, a bounded number of uploads per statement.
    /// </summary>
    public const string ChunkDeleteAbandoned = """
        with abandoned as (
            select distinct c.key
            from artifact_chunks c
            where c.written_at < coalesce(@now, now()) - @age
              and not exists (select 1 from artifact_blobs b where b.store = 'postgres' and b.key = c.key::text)
            limit @batch
        ),
        gone as (delete from artifact_chunks c using abandoned a where c.key = a.key returning c.key)
        select count(distinct key)::integer from gone
        """;
}
