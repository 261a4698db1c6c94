using TaskGrid.Cli;
using TaskGrid.Grids;
using TaskGrid.Paging;
using TaskGrid.Tests.Cli.Support;
using TaskGrid.Testing;
using TaskGrid.Users;

namespace TaskGrid.Tests.Cli.Cli;

/// <summary><c>taskgrid login</c> / <c>logout</c> and the profile they keep.</summary>
[Collection(CliCluster.Name)]
public sealed class LoginTests(RunningCluster cluster) : IDisposable
{
    private readonly CliRunner _cli = new(cluster.Url, apiKey: null);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Login_checks_the_key_saves_a_private_profile_that_later_commands_use()
    {
        _cli.Environment["TASKGRID_URL"] = null;
        var login = await _cli.RunAsync("login", "--url", cluster.Url.ToString(), "--api-key", TaskGridCluster.AdminKey, "-o", "json");
        Assert.True(login.ExitCode == ExitCodes.Ok, login.ToString());
        Assert.Equal("admin", login.Json<UserView>().Id);

        Assert.True(File.Exists(_cli.ProfilePath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_cli.ProfilePath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(_cli.ProfilePath)!));
        }
        Assert.Contains(TaskGridCluster.AdminKey, await File.ReadAllTextAsync(_cli.ProfilePath), StringComparison.Ordinal);

        var listed = await _cli.RunAsync("grids", "list", "-o", "json");
        Assert.True(listed.ExitCode == ExitCodes.Ok, listed.ToString());
        listed.Json<Page<GridView>>();

        // The saved key belongs to the saved gateway: pointed elsewhere, the CLI does not send it.
        var elsewhere = await _cli.RunAsync("grids", "list", "--url", $"http://127.0.0.1:{FreePort.Next()}/");
        Assert.Equal(ExitCodes.Error, elsewhere.ExitCode);

        var logout = await _cli.RunAsync("logout");
        Assert.Equal(ExitCodes.Ok, logout.ExitCode);
        Assert.False(File.Exists(_cli.ProfilePath));
        _cli.Environment["TASKGRID_URL"] = cluster.Url.ToString();
        Assert.Equal(ExitCodes.Auth, (await _cli.RunAsync("grids", "list")).ExitCode);
    }

    [Fact]
    public async Task Login_reads_the_key_from_standard_input_and_refuses_a_bad_one_without_saving()
    {
        var (userId, key) = await cluster.NewUserAsync();
        var bad = await _cli.RunWithInputAsync("tg_not_a_key\n", "login");
        Assert.Equal(ExitCodes.Auth, bad.ExitCode);
        Assert.Contains("refused the key", bad.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.ProfilePath));

        var good = await _cli.RunWithInputAsync(key + "\n", "login");
        Assert.True(good.ExitCode == ExitCodes.Ok, good.ToString());
        Assert.Contains($"({userId}, user)", good.Out, StringComparison.Ordinal);

        var empty = await _cli.RunWithInputAsync("", "login");
        Assert.Equal(ExitCodes.Usage, empty.ExitCode);
    }

    [Fact]
    public async Task A_broken_profile_is_one_clear_line()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_cli.ProfilePath)!);
        await File.WriteAllTextAsync(_cli.ProfilePath, "{ not json");

        var result = await _cli.RunAsync("grids", "list");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("profile.json cannot be read", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));

        // Explicit settings do not need the profile, and login replaces it.
        Assert.Equal(ExitCodes.Ok, (await _cli.RunAsync("grids", "list", "--api-key", TaskGridCluster.AdminKey)).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await _cli.RunAsync("login", "--api-key", TaskGridCluster.AdminKey)).ExitCode);
        _cli.Environment["TASKGRID_URL"] = null;
        Assert.Equal(ExitCodes.Ok, (await _cli.RunAsync("grids", "list")).ExitCode);
    }
}
