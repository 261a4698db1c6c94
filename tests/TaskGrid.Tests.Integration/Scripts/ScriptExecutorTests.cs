using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TaskGrid.Access;
using TaskGrid.Artifacts;
using TaskGrid.Grains.Executors;
using TaskGrid.Grains.Executors.Script;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;

namespace TaskGrid.Tests.Integration.Scripts;

/// <summary>
/// The script executor with real child processes: timeouts kill everything a script started,
/// memory and output limits hold, attempts cannot read each other's scratch directories,
/// files under out/ become artifacts (links are not followed), and a flood of output is
/// stored in a handful of statements.
/// </summary>
public sealed partial class ScriptExecutorTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly Dictionary<string, string?> s_tightLimits = new()
    {
        ["TaskGrid:Script:MemoryLimitBytes"] = (256L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TaskGrid:Script:MaxOutputBytes"] = "65536",
        ["TaskGrid:Script:MaxLogBytes"] = "1048576",
    };

    [Fact]
    public async Task A_timeout_kills_the_script_and_every_process_it_started()
    {
        await using var host = await ScriptHost.StartAsync(database);
        var task = ScriptHost.Task(ScriptHost.Bash("""
            sleep 300 &
            echo "child $!"
            ( setsid sleep 301 & echo "daemon $!" )
            echo "self $$"
            sleep 302
            """), timeout: TimeSpan.FromSeconds(2));

        var started = Stopwatch.StartNew();
        var outcome = await host.RunAsync(task);

        var failed = Assert.IsType<ExecutionOutcome.Failed>(outcome);
        Assert.StartsWith("Timed out after 2 s", failed.Error);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"the attempt took {started.Elapsed}");
        var pids = (await host.LinesAsync(database, task.Id))
            .Where(l => l.Stream == "stdout")
            .Select(l => Pid().Match(l.Line))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["child", "daemon", "self"], pids.Keys.Order().ToArray());
        // A process that made itself a new session escapes a process-group kill; only a script
        // with a uid of its own (a root silo) can be swept completely.
        int[] mustBeGone = host.Services.GetRequiredService<ScriptSandbox>().Isolates ? [.. pids.Values] : [pids["child"], pids["self"]];
        await Eventually.HoldsAsync(() => Task.FromResult(mustBeGone.All(pid => !Processes.IsRunning(pid))),
            TimeSpan.FromSeconds(5), "every process of the timed-out script to be gone");
        foreach (var pid in pids.Values.Where(Processes.IsRunning))
        {
            Process.GetProcessById(pid).Kill();
        }
    }

    [Fact]
    public async Task A_memory_hog_is_stopped_by_the_memory_limit()
    {
        await using var host = await ScriptHost.StartAsync(database, s_tightLimits);
        var task = ScriptHost.Task(ScriptHost.Python("""
            hog = bytearray(1024 * 1024 * 1024)
            print("allocated", len(hog))
            """));

        var outcome = await host.RunAsync(task);

        var failed = Assert.IsType<ExecutionOutcome.Failed>(outcome);
        Assert.Contains("MemoryError", failed.Error);
        Assert.Contains("ran out of memory: its limit is 256 MiB", failed.Error);
        Assert.DoesNotContain("allocated", failed.Output ?? "");
    }

    [Fact]
    public async Task A_script_cannot_read_another_attempts_scratch_directory()
    {
        await using var host = await ScriptHost.StartAsync(database);
        var sandbox = host.Services.GetRequiredService<ScriptSandbox>();
        if (!sandbox.Isolates)
        {
            // A silo that is not root runs every script as itself: nothing to separate them by.
            return;
        }
        var holder = ScriptHost.Task(ScriptHost.Bash("""
            echo "dir $PWD"
            echo "uid $(id -u)"
            echo "top secret" > secret.txt
            sleep 4
            """), timeout: TimeSpan.FromSeconds(30));
        var holding = host.RunAsync(holder);
        string? directory = null;
        await Eventually.HoldsAsync(async () =>
        {
            directory = (await host.LinesAsync(database, holder.Id)).Select(l => l.Line).FirstOrDefault(l => l.StartsWith("dir ", StringComparison.Ordinal))?[4..];
            return directory is not null;
        }, TimeSpan.FromSeconds(10), "the first script to print its directory");

        var snoop = ScriptHost.Task(ScriptHost.Bash("""
            echo "uid $(id -u)"
            cat "$1/secret.txt"
            ls "$1"
            ls "$(dirname "$1")"
            cat /proc/1/environ
            """, directory!));
        var outcome = await host.RunAsync(snoop);
        await holding;

        var failed = Assert.IsType<ExecutionOutcome.Failed>(outcome);
        Assert.DoesNotContain("top secret", failed.Output ?? "");
        var errors = (await host.LinesAsync(database, snoop.Id)).Where(l => l.Stream == "stderr").Select(l => l.Line).ToList();
        Assert.Equal(4, errors.Count(e => e.Contains("Permission denied", StringComparison.Ordinal)));
        var uids = (await host.LinesAsync(database, holder.Id)).Concat(await host.LinesAsync(database, snoop.Id))
            .Select(l => l.Line).Where(l => l.StartsWith("uid ", StringComparison.Ordinal)).Distinct().ToList();
        Assert.Equal(2, uids.Count);
        Assert.DoesNotContain("uid 0", uids);
    }

    [Fact]
    public async Task Files_under_out_become_artifacts_of_the_owner_and_links_are_not_followed()
    {
        await using var host = await ScriptHost.StartAsync(database);
        var task = ScriptHost.Task(ScriptHost.Bash("""
            mkdir -p out/sub
            printf 'a,b\n1,2\n' > out/report.csv
            head -c 300000 /dev/urandom > out/sub/blob.bin
            sha256sum out/sub/blob.bin
            ln -s /etc/passwd out/passwd
            ln -s /proc/self/environ out/environ
            mkfifo out/pipe
            echo done
            """), owner: "out-owner");

        var outcome = await host.RunAsync(task);

        var succeeded = Assert.IsType<ExecutionOutcome.Succeeded>(outcome);
        var blobSha = succeeded.Output!.Split('\n')[0].Split(' ')[0];
        // The executor ran the task directly (there is no task row to ask), so read the links.
        var links = await LinksAsync(task.Id);
        Assert.Equal(["out/report.csv", "out/sub/blob.bin"], links.Keys.Order().ToArray());
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var owner = new Caller("out-owner", CallerRole.User);
        var report = await grains.Artifact(links["out/report.csv"]).GetAsync(owner);
        Assert.Equal("report.csv", report.Name);
        Assert.False(report.Uploaded);
        Assert.Equal(task.Id, report.TaskId);
        await using (var content = await grains.Artifact(report.Id).OpenContentAsync(owner))
        using (var reader = new StreamReader(content.Content))
        {
            Assert.Equal("a,b\n1,2\n", await reader.ReadToEndAsync());
        }
        var blob = await grains.Artifact(links["out/sub/blob.bin"]).GetAsync(owner);
        Assert.Equal(300_000, blob.Size);
        Assert.Equal(blobSha, blob.Sha256);
        await Assert.ThrowsAsync<TaskGrid.Errors.ResourceNotFoundException>(() => grains.Artifact(blob.Id).GetAsync(new Caller("someone-else", CallerRole.User)));
        var system = (await host.LinesAsync(database, task.Id)).Where(l => l.Stream == "system").Select(l => l.Line).ToList();
        Assert.Contains(system, l => l.StartsWith("Not saved: out/passwd is not a regular file", StringComparison.Ordinal));
        Assert.Contains(system, l => l.StartsWith("Not saved: out/environ is not a regular file", StringComparison.Ordinal));
        Assert.Contains(system, l => l.StartsWith("Not saved: out/pipe is not a regular file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_10_MB_stdout_flood_is_truncated_at_the_limits_and_stored_in_a_few_statements()
    {
        await using var host = await ScriptHost.StartAsync(database, s_tightLimits);
        var task = ScriptHost.Task(ScriptHost.Python("""
            import sys
            line = "x" * 99 + "\n"
            for _ in range(100):
                sys.stdout.write(line * 1000)
            print("the end")
            """));
        var batchesBefore = host.Log.Batches;

        var started = Stopwatch.StartNew();
        var outcome = await host.RunAsync(task);

        var succeeded = Assert.IsType<ExecutionOutcome.Succeeded>(outcome);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"the flood took {started.Elapsed}");
        Assert.True(succeeded.Output!.Length < 65536 + 200, $"the output kept {succeeded.Output.Length} characters");
        Assert.EndsWith("[… output truncated: 9934472 more bytes dropped, limit 65536 bytes]", succeeded.Output);
        var lines = await host.LinesAsync(database, task.Id);
        var stdout = lines.Where(l => l.Stream == "stdout").ToList();
        Assert.Equal(1048576 / 100, stdout.Count);
        Assert.DoesNotContain(stdout, l => l.Line == "the end");
        Assert.Contains(lines, l => l.Stream == "system" && l.Line.Contains("past the log limit of 1048576 bytes", StringComparison.Ordinal));
        var batches = host.Log.Batches - batchesBefore;
        Assert.True(batches <= 40, $"{stdout.Count} lines took {batches} statements");
    }

    [Fact]
    public async Task An_uploaded_script_runs_with_its_arguments_and_environment_for_its_owner_only()
    {
        await using var host = await ScriptHost.StartAsync(database);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var alice = new Caller("alice-scripts", CallerRole.User);
        using var source = new MemoryStream("import os, sys\nprint('args', *sys.argv[1:])\nprint('greeting', os.environ['GREETING'])\n"u8.ToArray());
        var artifact = (await grains.ArtifactUploads().UploadAsync(alice, new ArtifactUpload("hello.py"), source)).Artifact;
        var env = new Dictionary<string, string> { ["GREETING"] = "hej" };

        var own = ScriptHost.Task(new ScriptSpec("python3", null, ["one", "two"], env, artifact.Id), owner: alice.UserId);
        var outcome = await host.RunAsync(own);
        var succeeded = Assert.IsType<ExecutionOutcome.Succeeded>(outcome);
        Assert.Equal("args one two\ngreeting hej\n", succeeded.Output);

        var foreign = ScriptHost.Task(new ScriptSpec("python3", null, [], env, artifact.Id), owner: "mallory-scripts");
        var refused = Assert.IsType<ExecutionOutcome.Failed>(await host.RunAsync(foreign));
        Assert.Contains($"Artifact {artifact.Id} no longer exists", refused.Error);
    }

    [Fact]
    public async Task The_script_environment_holds_nothing_of_the_silos()
    {
        Environment.SetEnvironmentVariable("TASKGRID_TEST_SILO_SECRET", "do-not-leak");
        await using var host = await ScriptHost.StartAsync(database);
        var outcome = await host.RunAsync(ScriptHost.Task(ScriptHost.Bash("env")));
        var succeeded = Assert.IsType<ExecutionOutcome.Succeeded>(outcome);
        Assert.DoesNotContain("do-not-leak", succeeded.Output);
        Assert.DoesNotContain("TASKGRID_TEST_DATABASE_URL", succeeded.Output);
        Assert.Contains("TASKGRID_OUT=", succeeded.Output);
    }

    private async Task<Dictionary<string, Guid>> LinksAsync(Guid taskId)
    {
        await using var command = database.DataSource.CreateCommand("select path, artifact_id from task_artifacts where task_id = @id");
        command.Parameters.AddWithValue("id", taskId);
        var links = new Dictionary<string, Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            links[reader.GetString(0)] = reader.GetGuid(1);
        }
        return links;
    }

    [GeneratedRegex("^(child|daemon|self) ([0-9]+)$")]
    private static partial Regex Pid();
}
