namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>SQL of the <c>api_keys</c> table.</summary>
internal static class ApiKeyQueries
{
    /// <summary>The columns <see cref="Rows.UserReader.ReadKey"/> reads, in its ordinal order.</summary>
    public const string Columns = "id, user_id, name, prefix, created_at, last_used_at, revoked_at";

    public const string ApiKeyInsert = """
        insert into api_keys (id, user_id, name, prefix, hash, created_at)
        values (@id, @user_id, @name, @prefix, @hash, coalesce(@now, now()))
        returning created_at
        """;

    public const string ApiKeySelect = "select " + Columns + " from api_keys where id = @id and (@owner::text is null or user_id = @owner)";

    public const string ApiKeySelectForUpdate = ApiKeySelect + " for update";

    public const string ApiKeyRevoke = """
        update api_keys set revoked_at = coalesce(@now, now()), version = version + 1
        where id = @id
        """ + "\nreturning " + Columns;

    public const string ApiKeyListByUser = "select " + Columns + " from api_keys where user_id = @owner order by id desc";

    public const string ApiKeyListAll = "select " + Columns + " from api_keys order by id desc limit 1000";

    /// <summary>The live key with this hash and its enabled owner, marking it used.</summary>
    public const string ApiKeyAuthenticate = """
        update api_keys k
        set last_used_at = coalesce(@now, now())
        from users u
        where k.hash = @hash and k.revoked_at is null and u.id = k.user_id and u.disabled_at is null
        returning k.id, k.user_id, u.role
        """;
}
