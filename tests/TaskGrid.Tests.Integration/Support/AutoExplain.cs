using Npgsql;

namespace TaskGrid.Tests.Integration.Support;

/// <summary>Plans of what a connection runs, nested statements included, as PostgreSQL reports them.</summary>
internal static class AutoExplain
{
    /// <summary>Loads auto_explain on the connection so that every later statement's plan arrives as a NOTICE in the returned list.</summary>
    public static async Task<List<string>> CapturePlansAsync(NpgsqlConnection connection)
    {
        var plans = new List<string>();
        connection.Notice += (_, e) => plans.Add(e.Notice.MessageText);
        await using var command = new NpgsqlCommand("""
            load 'auto_explain';
            set auto_explain.log_min_duration = 0;
            set auto_explain.log_nested_statements = on;
            set auto_explain.log_level = notice;
            """, connection);
        await command.ExecuteNonQueryAsync();
        return plans;
    }
}
