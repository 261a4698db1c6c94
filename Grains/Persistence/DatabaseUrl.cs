using Npgsql;

namespace TaskGrid.Grains.Persistence;

/// <summary>Turns a <c>postgres://</c> URL (the form Heroku, Kubernetes operators and libpq use) into an Npgsql connection string.</summary>
public static class DatabaseUrl
{
    /// <summary>Returns <paramref name="value"/> as an Npgsql connection string; connection strings pass through checked.</summary>
    /// <exception cref="FormatException">The value is neither a valid URL nor a valid connection string.</exception>
    public static string ToConnectionString(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(value).ConnectionString;
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"not a postgres:// URL or a connection string ({ex.Message}).", ex);
            }
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            throw new FormatException("not a valid postgres:// URL.");
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            // Host keeps an IPv6 literal's brackets; Npgsql wants the bare address.
            Host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var val = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            switch (key.ToLowerInvariant())
            {
                case "sslmode":
                    builder.SslMode = Enum.TryParse<SslMode>(val.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode)
                        && Enum.IsDefined(mode) && !int.TryParse(val, out _)
                        ? mode
                        : throw new FormatException($"sslmode '{val}' is not one of disable, allow, prefer, require, verify-ca, verify-full.");
                    break;
                case "host":
                    builder.Host = val; // unix socket directory, as libpq allows
                    break;
                default:
                    try
                    {
                        builder[key] = val;
                    }
                    catch (ArgumentException ex)
                    {
                        throw new FormatException($"the URL parameter '{key}' is not understood ({ex.Message}).", ex);
                    }
                    break;
            }
        }
        // Checked last: libpq's postgres:///db?host=/var/run/postgresql names only a socket directory.
        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new FormatException("the postgres:// URL has no host (name one, or a socket directory with ?host=).");
        }
        return builder.ConnectionString;
    }
}
