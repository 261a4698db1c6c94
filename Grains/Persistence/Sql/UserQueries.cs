namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>SQL of the <c>users</c> table.</summary>
internal static class UserQueries
{
    /// <summary>The columns <see cref="Rows.UserReader"/> reads, in its ordinal order.</summary>
    public const string Columns = "id, name, role, max_pending_tasks, disabled_at is not null as disabled, created_at, version";

    public const string UserInsert = """
        insert into users (id, name, role, max_pending_tasks, created_at, updated_at)
        values (@id, @name, @role, @max_pending_tasks, coalesce(@now, now()), coalesce(@now, now()))
        """ + "\nreturning " + Columns;

    /// <summary>Creates the built-in admin behind the bootstrap key, once.</summary>
    public const string UserEnsureAdmin = """
        insert into users (id, name, role, created_at, updated_at)
        values (@id, 'Bootstrap administrator', 'admin', now(), now())
        on conflict (id) do nothing
        """;

    public const string UserSelect = "select " + Columns + " from users where id = @id";

    public const string UserSelectForUpdate = UserSelect + " for update";

    public const string UserUpdate = """
        update users
        set name = coalesce(@name, name),
            role = coalesce(@role, role),
            max_pending_tasks = case when @max_pending_tasks::integer is null then max_pending_tasks
                                     when @max_pending_tasks = 0 then null
                                     else @max_pending_tasks end,
            disabled_at = case when @disabled::boolean is null then disabled_at
                               when @disabled then coalesce(disabled_at, coalesce(@now, now()))
                               else null end,
            updated_at = coalesce(@now, now()), version = version + 1
        where id = @id and version = @version
        """ + "\nreturning " + Columns;

    public const string UserList = "select " + Columns + """

        from users
        where (@after::text is null or id < @after)
        order by id desc
        limit @limit
        """;

    public const string UserExists = "select exists (select 1 from users where id = @id)";

    /// <summary>
    /// Refuses (SQLSTATE TG429, <see cref="PostgresErrors.IsPastPendingCap"/>) @adding more pending
    /// tasks for @owner past the owner's cap, from the counters the tasks triggers keep (migrations
    /// 0009, 0013). @included: the tasks are already inserted, in the same transaction.
    /// </summary>
    public const string UserCheckPendingCap = "select taskgrid_check_pending_cap(@owner, @adding, @default_cap, @included)";
}
