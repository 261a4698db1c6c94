using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Functional.Cluster;

/// <summary>
/// A silo that is not root (as under Kubernetes) runs scripts as its own user. They must still
/// not read its secrets: the silo is non-dumpable, so /proc/&lt;silo&gt;/environ is refused.
/// When the tests run as root, the silo is started as nobody to be in that situation.
/// </summary>
public sealed class SiloSecretsTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string Secret = "sk-test-secret-that-must-not-leak";
    private readonly List<TaskGridProcess> _processes = [];
    private readonly string _home = Path.Combine(Path.GetTempPath(), "tg-silo-home-" + Guid.NewGuid().ToString("N")[..12]);
    private TaskGridProcess _silo = null!;
    private HttpClient? _http;

    public async Task InitializeAsync()
    {
        const UnixFileMode everyone = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Silos run on Linux.");
        }
        Directory.CreateDirectory(_home);
        File.SetUnixFileMode(_home, everyone);
        IReadOnlyList<string> asNobody = Environment.IsPrivilegedProcess ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] : [];
        _silo = await TaskGridCluster.StartSiloAsync(database.Url, "silo-unprivileged", new Dictionary<string, string>
        {
            ["HOME"] = _home,
            ["OPENAI_API_KEY"] = Secret,
            ["TaskGrid__Script__ScratchRoot"] = Path.Combine(_home, "scratch"),
        }, asNobody);
        _processes.Add(_silo);
        var (gateway, client) = await TaskGridCluster.StartGatewayAsync(database.Url);
        _processes.Add(gateway);
        _http = client;
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task A_script_run_by_a_non_root_silo_cannot_read_the_silos_environment()
    {
        var http = _http!;
        using var submitted = await http.PostAsJsonAsync("/v1/tasks", new
        {
            kind = "script",
            interpreter = "bash",
            args = new[] { _silo.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            source = """
                echo "uid $(id -u)"
                echo "cmdline $(tr '\0' ' ' < /proc/$1/cmdline)"
                if cat /proc/$1/environ > /dev/null; then echo "silo environ readable"; else echo "silo environ refused"; fi
                if cat /proc/$$/environ > /dev/null; then echo "own environ readable"; fi
                tr '\0' '\n' < /proc/$1/environ | grep OPENAI || true
                """,
        });
        var id = (string)(await submitted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        JsonObject task = null!;
        await Eventually.HoldsAsync(async () =>
        {
            task = (await http.GetFromJsonAsync<JsonObject>($"/v1/tasks/{id}"))!;
            return (string)task["status"]! is "completed" or "failed";
        }, TimeSpan.FromSeconds(60), "the script to finish");

        var output = (string)task["output"]!;
        Assert.Equal("completed", (string)task["status"]!);
        Assert.Contains("TaskGrid.Silo.dll", output);
        if (Environment.IsPrivilegedProcess)
        {
            Assert.Contains("uid 65534", output);
        }
        Assert.Contains("own environ readable", output);
        Assert.Contains("silo environ refused", output);
        Assert.DoesNotContain(Secret, output);
        Assert.DoesNotContain("silo environ readable", output);
    }
}
