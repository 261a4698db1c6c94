namespace TaskGrid.Testing;

/// <summary>Where the test PostgreSQL is and where the built processes are.</summary>
public static class TestEnvironment
{
    /// <summary>
    /// The admin URL of the PostgreSQL that <c>./taskgrid test</c> starts. Tests create their own
    /// databases on it. A missing setting fails the test, in CI and everywhere else: these tests
    /// mean nothing without a real database.
    /// </summary>
    public static string AdminDatabaseUrl =>
        Environment.GetEnvironmentVariable("TASKGRID_TEST_DATABASE_URL") is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException(
                "TASKGRID_TEST_DATABASE_URL is not set. Run the suite with ./taskgrid test (it starts a private PostgreSQL), " +
                "or point TASKGRID_TEST_DATABASE_URL at a PostgreSQL admin URL such as postgres://postgres@127.0.0.1:5432/postgres.");

    /// <summary>The repository root (the folder holding TaskGrid.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Debug or Release).</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>
    /// The entry assembly of a process project, for example <c>Silo</c> → TaskGrid.Silo.dll: from
    /// <c>TASKGRID_PROCESS_DIR/{project}/</c> when that is set (the benchmark runs the published,
    /// ReadyToRun processes that <c>./taskgrid up</c> runs), else from the project's build output.
    /// </summary>
    public static string ProcessAssembly(string project)
    {
        var path = Environment.GetEnvironmentVariable("TASKGRID_PROCESS_DIR") is { Length: > 0 } published
            ? Path.Combine(published, project, $"TaskGrid.{project}.dll")
            : Path.Combine(RepositoryRoot, project, "bin", Configuration, "net10.0", $"TaskGrid.{project}.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} does not exist; build the solution first (./taskgrid test does), or publish it (./taskgrid bench does).", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TaskGrid.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No TaskGrid.sln above {AppContext.BaseDirectory}.");
    }
}
