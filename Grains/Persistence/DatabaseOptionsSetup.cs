using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace TaskGrid.Grains.Persistence;

/// <summary>Fills <see cref="DatabaseOptions.ConnectionString"/> from the environment when configuration leaves it empty.</summary>
internal sealed class DatabaseOptionsSetup(IConfiguration configuration) : IPostConfigureOptions<DatabaseOptions>
{
    public void PostConfigure(string? name, DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            options.ConnectionString = configuration["TASKGRID_DATABASE_URL"] is { Length: > 0 } taskGridUrl
                ? taskGridUrl
                : configuration["DATABASE_URL"];
        }
    }
}
