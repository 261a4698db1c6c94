using TaskGrid.Grains.Executors;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;

namespace TaskGrid.Tests.Integration.Executors;

public sealed class ScriptExecutorTests(TestDatabase database) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly string _scratch = SharedDirectory.Create("taskgrid-script-tests-");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private ITaskExecutor Executor(int maxOutputBytes = 64 * 1024) => ExecutorHarness.Services(database, new Dictionary<string, string?>
    {
        ["TaskGrid:Script:MaxOutputBytes"] = maxOutputBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TaskGrid:Script:ScratchRoot"] = Path.Combine(_scratch, "runs"),
        ["TaskGrid:Script:Interpreters:missing"] = "/nonexistent/interpreter",
    }).Executor("script");

    [Fact]
    public async Task Exit_code_zero_completes_with_the_standard_output()
    {
        var task = ExecutorHarness.Script(
            "echo \"hello $1 $GREETING\"; echo \"attempt $TASKGRID_ATTEMPT of $TASKGRID_TASK_ID\"; echo noise >&2",
            args: ["world"], env: new Dictionary<string, string> { ["GREETING"] = "hi" });
        var success = Assert.IsType<ExecutionOutcome.Succeeded>(await Executor().ExecuteAsync(task, CancellationToken.None));
        Assert.Equal($"hello world hi\nattempt 1 of {task.Id}\n", success.Output);
    }

    [Fact]
    public async Task The_script_gets_a_clean_environment_and_its_own_scratch_directory_which_is_removed()
    {
        Environment.SetEnvironmentVariable("TASKGRID_SECRET_FOR_TEST", "leak");
        ExecutionOutcome outcome;
        try
        {
            outcome = await Executor().ExecuteAsync(ExecutorHarness.Script("echo \"[$TASKGRID_SECRET_FOR_TEST]\"; pwd; touch made-here"), CancellationToken.None);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TASKGRID_SECRET_FOR_TEST", null);
        }
        var success = Assert.IsType<ExecutionOutcome.Succeeded>(outcome);
        var lines = success.Output!.Split('\n');
        Assert.Equal("[]", lines[0]);
        Assert.StartsWith(Path.Combine(_scratch, "runs"), lines[1], StringComparison.Ordinal);
        Assert.False(Directory.Exists(lines[1]), "the scratch directory was left behind");
    }

    [Fact]
    public async Task A_non_zero_exit_fails_with_the_exit_code_and_the_end_of_stderr()
    {
        var task = ExecutorHarness.Script("echo partial; for i in $(seq 1 2000); do echo \"line $i\" >&2; done; echo 'the real reason' >&2; exit 3");
        var failure = Assert.IsType<ExecutionOutcome.Failed>(await Executor().ExecuteAsync(task, CancellationToken.None));
        Assert.False(failure.Retryable);
        Assert.StartsWith("Exit code 3: ", failure.Error, StringComparison.Ordinal);
        Assert.EndsWith("the real reason", failure.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("line 1\n", failure.Error, StringComparison.Ordinal);
        Assert.True(failure.Error.Length < 6000, $"the error kept {failure.Error.Length} characters");
        Assert.Equal("partial\n", failure.Output);
    }

    [Fact]
    public async Task A_silent_failure_says_so()
    {
        var failure = Assert.IsType<ExecutionOutcome.Failed>(await Executor().ExecuteAsync(ExecutorHarness.Script("exit 42"), CancellationToken.None));
        Assert.Equal("Exit code 42: no output on stderr", failure.Error);
    }

    [Fact]
    public async Task A_timeout_kills_the_script_and_its_children()
    {
        var pids = Path.Combine(_scratch, "pids");
        var task = ExecutorHarness.Script($"sleep 300 & echo $! >> {pids}; echo $$ >> {pids}; echo started; sleep 300", timeout: TimeSpan.FromSeconds(5));

        var failure = Assert.IsType<ExecutionOutcome.Failed>(await Executor().ExecuteAsync(task, CancellationToken.None));

        Assert.StartsWith("Timed out after 5 s", failure.Error, StringComparison.Ordinal);
        Assert.Equal("started\n", failure.Output);
        var started = (await File.ReadAllLinesAsync(pids)).Select(int.Parse).ToList();
        Assert.Equal(2, started.Count);
        await Processes.AllGoneAsync(started);
    }

    [Fact]
    public async Task Cancelling_the_attempt_kills_the_script_and_throws()
    {
        var pids = Path.Combine(_scratch, "pids");
        var task = ExecutorHarness.Script($"echo $$ >> {pids}; sleep 300 & echo $! >> {pids}; wait");
        using var cancellation = new CancellationTokenSource();
        var running = Executor().ExecuteAsync(task, cancellation.Token);
        await Eventually.HoldsAsync(() => Task.FromResult(File.Exists(pids) && File.ReadAllLines(pids).Length == 2), TimeSpan.FromSeconds(30), "the script to start its child");

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await Processes.AllGoneAsync((await File.ReadAllLinesAsync(pids)).Select(int.Parse));
    }

    [Fact]
    public async Task A_background_process_left_holding_the_output_does_not_outlive_the_attempt()
    {
        var pids = Path.Combine(_scratch, "pids");
        var task = ExecutorHarness.Script($"sleep 300 & echo $! >> {pids}; echo started", timeout: TimeSpan.FromSeconds(120));

        var outcome = await Executor().ExecuteAsync(task, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        var success = Assert.IsType<ExecutionOutcome.Succeeded>(outcome);
        Assert.Equal("started\n", success.Output);
        await Processes.AllGoneAsync((await File.ReadAllLinesAsync(pids)).Select(int.Parse));
    }

    [Fact]
    public async Task Output_beyond_the_limit_is_truncated_with_a_marker()
    {
        var task = ExecutorHarness.Script("head -c 5000 /dev/zero | tr '\\0' x");
        var success = Assert.IsType<ExecutionOutcome.Succeeded>(await Executor(maxOutputBytes: 1024).ExecuteAsync(task, CancellationToken.None));
        Assert.StartsWith(new string('x', 1024) + "\n[… output truncated: 3976 more bytes dropped, limit 1024 bytes]", success.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("xx\n[", success.Output![1025..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flood_of_output_does_not_block_the_script()
    {
        var task = ExecutorHarness.Script("yes | head -c 20000000; yes | head -c 5000000 >&2; echo done", timeout: TimeSpan.FromMinutes(2));
        var success = Assert.IsType<ExecutionOutcome.Succeeded>(await Executor(maxOutputBytes: 1024).ExecuteAsync(task, CancellationToken.None));
        Assert.StartsWith("y\ny\n", success.Output, StringComparison.Ordinal);
        Assert.EndsWith("[… output truncated: 19998981 more bytes dropped, limit 1024 bytes]", success.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nul_bytes_and_invalid_utf8_in_output_do_not_break_the_result()
    {
        var task = ExecutorHarness.Script("printf 'a\\000b\\377c\\n'; printf 'x\\000y' >&2; exit 1");
        var failure = Assert.IsType<ExecutionOutcome.Failed>(await Executor().ExecuteAsync(task, CancellationToken.None));
        Assert.Equal("ab\uFFFDc\n", failure.Output);
        Assert.Equal("Exit code 1: xy", failure.Error);
        Assert.DoesNotContain('\0', failure.Output!);
    }

    [Fact]
    public async Task An_interpreter_this_silo_does_not_offer_fails_for_good_listing_the_ones_it_does()
    {
        var failure = Assert.IsType<ExecutionOutcome.Failed>(await Executor().ExecuteAsync(ExecutorHarness.Script("puts 1", interpreter: "ruby"), CancellationToken.None));
        Assert.False(failure.Retryable);
        Assert.Contains("'ruby'", failure.Error, StringComparison.Ordinal);
        Assert.Contains("bash", failure.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interpreter_whose_program_is_missing_fails_for_good()
    {
        var failure = Assert.IsType<ExecutionOutcome.Failed>(await Executor().ExecuteAsync(ExecutorHarness.Script("x", interpreter: "missing"), CancellationToken.None));
        Assert.False(failure.Retryable);
        Assert.StartsWith("Could not start '/nonexistent/interpreter' for interpreter 'missing'", failure.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Python_scripts_run_too()
    {
        var task = ExecutorHarness.Script("import sys\nprint('py', sys.argv[1])", interpreter: "python3", args: ["ok"]);
        var success = Assert.IsType<ExecutionOutcome.Succeeded>(await Executor().ExecuteAsync(task, CancellationToken.None));
        Assert.Equal("py ok\n", success.Output);
    }
}
