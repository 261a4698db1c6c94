namespace TaskGrid.Cli;

/// <summary>
/// What the exit status of <c>taskgrid</c> means, so that scripts can tell a typo from a
/// missing task from a down server. Listed in <c>taskgrid --help</c> and the README.
/// </summary>
public static class ExitCodes
{
    /// <summary>It worked.</summary>
    public const int Ok = 0;

    /// <summary>The server failed (5xx), could not be reached, timed out, or anything else went wrong.</summary>
    public const int Error = 1;

    /// <summary>Bad usage or input: unknown command or option, a bad value, an unreadable or malformed file, or a request the server refused as invalid (400, 413).</summary>
    public const int Usage = 2;

    /// <summary>The task, grid or other resource does not exist, or the API key may not see it (404).</summary>
    public const int NotFound = 3;

    /// <summary>No API key, or the key was refused (401) or may not do this (403).</summary>
    public const int Auth = 4;

    /// <summary>The resource's state forbids the change (409), for example cancelling a finished task.</summary>
    public const int Conflict = 5;

    /// <summary>What was waited for ended badly: <c>tasks wait</c> saw the task fail, be cancelled or expire; <c>grids status --watch</c> saw the grid end with such tasks.</summary>
    public const int Unsuccessful = 6;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Interrupted = 130;

    /// <summary>The exit codes as help text.</summary>
    internal const string Help = """
          0    success
          1    server error (5xx), gateway unreachable, timeout, or another failure
          2    usage error: bad command, option or value; missing or malformed input file;
               a request the server refused as invalid (400) or too large (413)
          3    not found (404): no such task, grid, silo or user, or not visible to your key
          4    authentication: no API key, key refused (401), or not allowed (403)
          5    conflict (409): the current state forbids it (e.g. cancelling a finished task)
          6    waited-for work ended badly: 'tasks wait' task failed, was cancelled or expired;
               'grids status --watch' grid ended with failed, cancelled or expired tasks
          130  interrupted (Ctrl+C)
        """;
}
