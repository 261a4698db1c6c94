namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>SQL of health checks.</summary>
internal static class HealthQueries
{
    public const string Ping = "select 1";
}
