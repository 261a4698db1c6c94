using System.Net.Sockets;
using Npgsql;

namespace TaskGrid.Grains.Persistence;

/// <summary>Which database errors are worth retrying.</summary>
public static class PostgresErrors
{
    /// <summary>
    /// A deadlock or serialization failure (the turn can simply run again), or a lost or
    /// refused connection (the server restarted or the connection was terminated).
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.SerializationFailure
            or PostgresErrorCodes.DeadlockDetected
            or PostgresErrorCodes.AdminShutdown
            or PostgresErrorCodes.CrashShutdown
            or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        SocketException or IOException => true,
        _ => false,
    };

    /// <summary>Whether the statement was refused because its owner has too many pending tasks (taskgrid_check_pending_cap).</summary>
    public static bool IsPastPendingCap(Exception exception) =>
        exception is PostgresException { SqlState: "TG429" };

    /// <summary>Whether the statement was refused for a unique key that already exists.</summary>
    public static bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
