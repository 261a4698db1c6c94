namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>
/// SQL of <c>artifacts</c>, <c>artifact_blobs</c> and <c>task_artifacts</c>.
///
/// A blob (one content) may be shared by several owners' artifacts, and is deleted when the
/// last one goes. Whoever adds or removes an artifact of a blob first locks the blob's row
/// (<see cref="BlobLock"/>), then acts in a later statement: under READ COMMITTED each
/// statement reads a fresh snapshot, so "is anyone still using this blob" is answered after
/// every competing change has committed, never from a snapshot older than the lock.
/// </summary>
internal static class ArtifactQueries
{
    /// <summary>The columns <see cref="Rows.ArtifactReader"/> reads, in its ordinal order.</summary>
    public const string Columns = "a.id, a.user_id, a.name, a.size, a.sha256, a.content_type, a.uploaded, a.task_id, a.created_at";

    /// <summary>Adopts a staged upload as the blob of its content, unless that content is stored already.</summary>
    public const string BlobInsertIfMissing = """
        insert into artifact_blobs (sha256, size, store, key, created_at)
        values (@sha256, @size, @store, @key, coalesce(@now, now()))
        on conflict (sha256) do nothing
        """;

    public const string BlobLock = "select store, key from artifact_blobs where sha256 = @sha256 for update";

    /// <summary>Deletes a blob no artifact refers to (run after <see cref="BlobLock"/>); returns where its bytes are.</summary>
    public const string BlobDeleteIfUnreferenced = """
        delete from artifact_blobs b
        where b.sha256 = @sha256
          and not exists (select 1 from artifacts a where a.sha256 = b.sha256)
        returning b.store, b.key
        """;

    /// <summary>
    /// The owner's artifact of this content: a new row, or the existing one, which keeps its id
    /// and name and only learns that the owner uploaded it.
    /// </summary>
    public const string ArtifactUpsert = """
        insert into artifacts as a (id, user_id, sha256, name, size, content_type, uploaded, task_id, created_at)
        values (@id, @user_id, @sha256, @name, @size, @content_type, @uploaded, @task_id, coalesce(@now, now()))
        on conflict (user_id, sha256) do update set uploaded = a.uploaded or excluded.uploaded
        """ + "\nreturning " + Columns;

    public const string ArtifactSelect = "select " + Columns + """

        from artifacts a
        where a.id = @id and (@owner::text is null or a.user_id = @owner)
        """;

    public const string ArtifactSelectForUpdate = ArtifactSelect + "\nfor update of a";

    /// <summary>An artifact and where its bytes are.</summary>
    public const string ArtifactSelectWithBlob = "select " + Columns + ", b.store, b.key" + """

        from artifacts a join artifact_blobs b on b.sha256 = a.sha256
        where a.id = @id and (@owner::text is null or a.user_id = @owner)
        """;

    public const string ArtifactRename = """
        update artifacts a set name = @name
        where a.id = @id and (@owner::text is null or a.user_id = @owner)
        """ + "\nreturning " + Columns;

    /// <summary>Whether a pending or running script task runs the artifact (served by the partial index tasks_script_artifact).</summary>
    public const string ArtifactInUse = """
        select exists (
            select 1 from tasks t
            where t.status in ('pending', 'running') and (t.input -> 'script' ->> 'artifact_id') = @id::text)
        """;

    /// <summary>Deletes an artifact and the task links to it.</summary>
    public const string ArtifactDelete = """
        with links as (delete from task_artifacts where artifact_id = @id)
        delete from artifacts where id = @id
        """;

    /// <summary>
    /// Locks the artifacts new tasks will run, so that a concurrent delete waits for the
    /// submission and then sees the new tasks. Returns the ids that exist for the owner.
    /// </summary>
    public const string ArtifactLockForTasks = """
        select a.id from artifacts a
        where a.id = any(@ids) and a.user_id = @owner
        for key share of a
        """;

    public const string ArtifactListByUser = "select " + Columns + """

        from artifacts a
        where a.user_id = @owner and (@after::uuid is null or a.id < @after)
        order by a.id desc
        limit @limit
        """;

    public const string ArtifactListAll = "select " + Columns + """

        from artifacts a
        where (@after::uuid is null or a.id < @after)
        order by a.id desc
        limit @limit
        """;

    /// <summary>Links a file a task wrote under out/ to its artifact; a newer attempt's file replaces the link.</summary>
    public const string TaskArtifactLink = """
        insert into task_artifacts (task_id, path, artifact_id, created_at)
        values (@task_id, @path, @artifact_id, coalesce(@now, now()))
        on conflict (task_id, path) do update set artifact_id = excluded.artifact_id, created_at = excluded.created_at
        """;

    public const string TaskArtifactList = "select ta.path, " + Columns + """

        from task_artifacts ta join artifacts a on a.id = ta.artifact_id
        where ta.task_id = @task_id
        order by ta.path
        """;
}
