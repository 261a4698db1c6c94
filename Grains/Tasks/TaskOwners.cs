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

    /// <summary>Throws <see cref="LimitExceededException"/> when <paramref name="adding"/> more pending tasks would pass the owner's cap.</summary>
    public static Task CheckPendingCapAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string owner, int adding, int defaultCap, CancellationToken cancellationToken) =>
        RefusingPastCapAsync(async () =>
        {
            await using var command = new NpgsqlCommand(UserQueries.UserCheckPendingCap, connection, transaction)
                .WithPendingCapCheck(owner, adding, defaultCap, included: false);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    /// <summary>
    /// Binds the parameters of <see cref="UserQueries.UserCheckPendingCap"/>; <paramref name="included"/>:
    /// the tasks are inserted by the same transaction, which the refusal then rolls back.
    /// </summary>
    public static NpgsqlCommand WithPendingCapCheck(this NpgsqlCommand command, string owner, int adding, int defaultCap, bool included) =>
        command.With("owner", owner).With("adding", adding).With("default_cap", defaultCap).With("included", included);

    /// <summary>
    /// Runs statements that include the cap check; its refusal (SQLSTATE TG429) becomes the API's
    /// <see cref="LimitExceededException"/>, whose message says what to do.
    /// </summary>
    public static async Task<T> RefusingPastCapAsync<T>(Func<Task<T>> statements)
    {
        try
        {
            return await statements();
        }
        catch (PostgresException ex) when (PostgresErrors.IsPastPendingCap(ex))
        {
            throw new LimitExceededException(ex.MessageText);
        }
    }
}
