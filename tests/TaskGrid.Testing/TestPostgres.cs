using System.Diagnostics;

namespace TaskGrid.Testing;

/// <summary>
/// Stops and starts the test PostgreSQL server that <c>./taskgrid test</c> runs, for tests that
/// take the database away (chaos tests). It fails, never skips, when the server is not ours.
/// </summary>
public static class TestPostgres
{
    private static string DataDirectory => Required("TASKGRID_TEST_PG_DATA");

    private static string Bin => Required("TASKGRID_TEST_PG_BIN");

    /// <summary>Stops the server at once (<c>pg_ctl stop -m fast</c>): every connection drops.</summary>
    public static Task StopAsync() => PgCtlAsync("stop", "-m", "fast", "-w", "-t", "60");

    /// <summary>Starts the server again and waits until it accepts connections.</summary>
    public static Task StartAsync() => PgCtlAsync("start", "-w", "-t", "60", "-l", Path.Combine(Path.GetDirectoryName(DataDirectory)!, "postgres.log"),
        "-o", $"-p {Required("TASKGRID_TEST_PG_PORT_IN_USE")}");

    private static async Task PgCtlAsync(params string[] args)
    {
        var user = Environment.GetEnvironmentVariable("TASKGRID_TEST_PG_USER");
        var asOtherUser = Environment.UserName != user && !string.IsNullOrEmpty(user);
        var start = new ProcessStartInfo(asOtherUser ? "runuser" : Path.Combine(Bin, "pg_ctl"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asOtherUser)
        {
            foreach (var arg in new[] { "-u", user!, "--", Path.Combine(Bin, "pg_ctl") })
            {
                start.ArgumentList.Add(arg);
            }
        }
        start.ArgumentList.Add("-D");
        start.ArgumentList.Add(DataDirectory);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {string.Join(' ', args)} failed ({process.ExitCode}): {output}");
        }
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: this test restarts the test PostgreSQL and must run under ./taskgrid test.");
}
