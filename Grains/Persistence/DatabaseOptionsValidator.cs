using Microsoft.Extensions.Options;

namespace TaskGrid.Grains.Persistence;

/// <summary>Refuses to start without a usable database setting, naming the setting to fix.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("No database is configured: set TASKGRID_DATABASE_URL (or DATABASE_URL) to a postgres:// URL, or TaskGrid__Database__ConnectionString to an Npgsql connection string.");
        }
        else
        {
            try
            {
                DatabaseUrl.ToConnectionString(options.ConnectionString);
            }
            catch (FormatException ex)
            {
                failures.Add($"TaskGrid:Database:ConnectionString is not usable: {ex.Message}");
            }
        }
        if (options.MaxPoolSize is < 2 or > 1000)
        {
            failures.Add($"TaskGrid:Database:MaxPoolSize must be between 2 and 1000; got {options.MaxPoolSize}.");
        }
        if (options.CommandTimeout <= TimeSpan.Zero)
        {
            failures.Add($"TaskGrid:Database:CommandTimeout must be positive; got {options.CommandTimeout}.");
        }
        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            failures.Add($"TaskGrid:Database:ConnectTimeout must be positive; got {options.ConnectTimeout}.");
        }
        if (options.IdleInTransactionTimeout < TimeSpan.FromSeconds(1) || options.IdleInTransactionTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"TaskGrid:Database:IdleInTransactionTimeout must be between 1 second and 1 hour; got {options.IdleInTransactionTimeout}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
