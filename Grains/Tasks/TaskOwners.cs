using Npgsql;
using TaskGrid.Access;
using TaskGrid.Errors;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;

namespace TaskGrid.Grains.Tasks;

/// <summary>
/// Decides who owns new tasks and whether they fit under the owner's cap on pending tasks.
/// The owner is the caller; an admin may name another existing user. The cap is soft: two
/// concurrent submissions may together pass it by their own size, never more.
/// </summary>
internal static class TaskOwners
{
    public static async Task<string> ResolveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Caller caller, string? requested, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(requested) || requested == caller.UserId)
        {
            return caller.UserId;
        }
        if (!caller.IsAdmin)
        {
            throw new AccessDeniedException($"Only admins may create tasks for another user; leave user_id out (your tasks are owned by '{caller.UserId}').");
        }
        await using var command = new NpgsqlCommand(UserQueries.UserExists, connection, transaction).With("id", requested);
        return await command.ExecuteScalarAsync(cancellationToken) is true
            ? requested
            : throw new RequestValidationException("user_id", $"'{requested}' is not a user; create it with POST /v1/users first.");
    }

    public static async Task CheckPendingCapAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string owner, int adding, int defaultCap, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(UserQueries.UserPendingAndCap, connection, transaction)
            .With("owner", owner);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        ThrowIfPastCap(reader, owner, pendingBefore: reader.GetInt64(0), adding, defaultCap);
    }

    /// <summary>
    /// Checks the cap from a row of <see cref="UserQueries.UserPendingAndCap"/> read after the
    /// tasks were inserted (their count is already in it); the caller's turn then rolls back.
    /// </summary>
    public static void ThrowIfPastCapAfterInsert(NpgsqlDataReader reader, string owner, int added, int defaultCap) =>
        ThrowIfPastCap(reader, owner, pendingBefore: reader.GetInt64(0) - added, added, defaultCap);

    private static void ThrowIfPastCap(NpgsqlDataReader reader, string owner, long pendingBefore, int adding, int defaultCap)
    {
        var cap = reader.IsDBNull(1) ? defaultCap : reader.GetInt32(1);
        if (pendingBefore + adding > cap)
        {
            throw new LimitExceededException(
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"User '{owner}' has {pendingBefore} pending tasks and may have at most {cap}; ") +
                $"these {adding} would pass the cap. Wait for some to finish, or ask an admin to raise max_pending_tasks.");
        }
    }
}
