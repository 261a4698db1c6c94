using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskGrid.Errors;
using TaskGrid.Grains.Artifacts;
using TaskGrid.Grains.Logs;
using TaskGrid.Logs;
using TaskGrid.Tasks;
using TaskGrid.Workers;

namespace TaskGrid.Grains.Executors.Script;

/// <summary>
/// Runs a script (inline or an uploaded artifact) in a child process confined by
/// <see cref="ScriptSandbox"/>: its own scratch directory (removed afterwards), a clean
/// environment, a wall-clock timeout that kills every process it started, memory, file and
/// output limits, and its own uid when the silo is root. Its lines stream into the task's log;
/// files it leaves under <c>out/</c> become artifacts. Exit code 0 completes the task with its
/// standard output; anything else fails it with the exit code and the end of standard error.
/// </summary>
internal sealed partial class ScriptExecutor(
    IOptions<ScriptOptions> options,
    IOptions<TaskLogOptions> logOptions,
    ScriptSandbox sandbox,
    ArtifactRepository artifacts,
    OutputFiles outputFiles,
    ITaskLog log,
    ILogger<ScriptExecutor> logger) : ITaskExecutor
{
    private const int StderrTailBytes = 4 * 1024;
    private static readonly TimeSpan s_drainAfterExit = TimeSpan.FromSeconds(5);
    private static readonly string[] s_memoryErrors = ["MemoryError", "out of memory", "Cannot allocate memory", "bad_alloc", "heap out of memory", "Out of memory"];

    public string Kind => TaskKinds.Script;

    public async Task<ExecutionOutcome> ExecuteAsync(ClaimedTask task, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (task.Script is not { } spec)
        {
            return new ExecutionOutcome.Failed("A script task needs an interpreter and a source or an artifact_id.", Retryable: false);
        }
        if (!settings.Interpreters.TryGetValue(spec.Interpreter, out var program))
        {
            return new ExecutionOutcome.Failed(
                $"Interpreter '{spec.Interpreter}' is not available on this silo; use one of: {string.Join(", ", settings.Interpreters.Keys.Order())}.",
                Retryable: false);
        }
        if (sandbox.Unavailable is { } why)
        {
            return new ExecutionOutcome.Failed(why, Retryable: true);
        }
        if (sandbox.FindProgram(program) is not { } programPath)
        {
            return new ExecutionOutcome.Failed(
                $"Could not start '{program}' for interpreter '{spec.Interpreter}': it was not found (looked on {settings.Path}).", Retryable: false);
        }

        await using var lease = await sandbox.AcquireAsync(cancellationToken);
        using var scratch = ScratchDirectory.Create(sandbox.ScratchParent, lease, logger);
        string scriptPath;
        try
        {
            scriptPath = await WriteScriptAsync(task, spec, scratch, lease, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            return new ExecutionOutcome.Failed(
                $"Artifact {spec.ArtifactId} no longer exists (or is not the task owner's); upload the script again and submit a new task.", Retryable: false);
        }
        var outcome = await RunAsync(task, spec, programPath, scriptPath, scratch, lease, settings, cancellationToken);
        await outputFiles.SaveAsync(task, scratch, lease, settings, cancellationToken);
        return outcome;
    }

    private async Task<string> WriteScriptAsync(ClaimedTask task, ScriptSpec spec, ScratchDirectory scratch, SandboxLease lease, CancellationToken cancellationToken)
    {
        if (spec.ArtifactId is not { } artifactId)
        {
            return await scratch.WriteFileAsync("script", file => file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(spec.Source ?? "")).AsTask(), lease);
        }
        // The task's owner, not the caller, must own the script: checked when the task was
        // added, and again here in case the artifact went since.
        await using var content = await artifacts.OpenAsync(task.UserId, artifactId, cancellationToken);
        log.System(task, $"Fetched script artifact {artifactId} ({content.Artifact.Name}, {content.Artifact.Size} bytes).");
        return await scratch.WriteFileAsync("script" + ExtensionOf(content.Artifact.Name), file => content.Content.CopyToAsync(file, cancellationToken), lease);
    }

    private async Task<ExecutionOutcome> RunAsync(
        ClaimedTask task, ScriptSpec spec, string program, string scriptPath, ScratchDirectory scratch, SandboxLease lease,
        ScriptOptions settings, CancellationToken cancellationToken)
    {
        var command = sandbox.Command(lease, program, [scriptPath, .. spec.Args]);
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = scratch.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        // A clean environment: nothing of the silo's (database URL, API keys) reaches the script.
        start.Environment.Clear();
        start.Environment["PATH"] = settings.Path;
        start.Environment["HOME"] = scratch.Path;
        start.Environment["TMPDIR"] = scratch.Path;
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["TASKGRID_TASK_ID"] = task.Id.ToString();
        start.Environment["TASKGRID_ATTEMPT"] = task.Attempt.ToString(CultureInfo.InvariantCulture);
        start.Environment["TASKGRID_OUT"] = scratch.OutPath;
        foreach (var (name, value) in spec.Env)
        {
            start.Environment[name] = value;
        }

        var timeout = task.Timeout ?? settings.DefaultTimeout;
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            return new ExecutionOutcome.Failed($"Could not start '{program}' for interpreter '{spec.Interpreter}': {ex.Message}.", Retryable: false);
        }
        process.StandardInput.Close();
        var started = Stopwatch.GetTimestamp();
        log.System(task, $"Running {spec.Interpreter} as {(lease.Uid is { } uid ? $"uid {uid}" : "the silo's user")}: timeout {timeout.TotalSeconds:0.#} s, memory limit {Mebibytes(settings.MemoryLimitBytes)} MiB.");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var stdout = new BoundedCapture(settings.MaxOutputBytes, keepTail: false);
        using var stderr = new BoundedCapture(StderrTailBytes, keepTail: true);
        var budget = new LogBudget(settings.MaxLogBytes);
        var maxLine = logOptions.Value.MaxLineBytes;
        var pumping = Task.WhenAll(
            new OutputPump(task, TaskLogStream.Stdout, log, budget, stdout, maxLine).RunAsync(process.StandardOutput.BaseStream),
            new OutputPump(task, TaskLogStream.Stderr, log, budget, stderr, maxLine).RunAsync(process.StandardError.BaseStream));
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            KillTree(process);
        }
        // Whatever the script started and left behind goes too: its uid's processes, or its group.
        await sandbox.KillLeftoversAsync(lease, process.Id, CancellationToken.None);
        await process.WaitForExitAsync(CancellationToken.None).WaitAsync(s_drainAfterExit, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        await pumping.WaitAsync(s_drainAfterExit, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (budget.Dropped > 0)
        {
            log.System(task, $"{budget.Dropped} bytes of output were not stored: past the log limit of {budget.Limit} bytes (TaskGrid:Script:MaxLogBytes).");
        }
        cancellationToken.ThrowIfCancellationRequested();

        if (timedOut)
        {
            log.System(task, $"Timed out after {timeout.TotalSeconds:0.#} s; killed the script and every process it started.");
            return new ExecutionOutcome.Failed(
                $"Timed out after {timeout.TotalSeconds:0.#} s; the script and its child processes were killed.",
                Retryable: false, Output: stdout.Text());
        }
        var exitCode = process.ExitCode;
        log.System(task, $"Exited with code {exitCode}{SignalOf(exitCode)} after {elapsed.TotalSeconds:0.##} s.");
        if (exitCode == 0)
        {
            return new ExecutionOutcome.Succeeded(Output: stdout.Text());
        }
        var errorTail = stderr.Text().Trim();
        var reason = errorTail.Length == 0 ? "no output on stderr" : errorTail;
        var memory = s_memoryErrors.Any(m => errorTail.Contains(m, StringComparison.Ordinal))
            ? $" (the script ran out of memory: its limit is {Mebibytes(settings.MemoryLimitBytes)} MiB, TaskGrid:Script:MemoryLimitBytes)"
            : "";
        return new ExecutionOutcome.Failed($"Exit code {exitCode}{SignalOf(exitCode)}{memory}: {reason}", Retryable: false, Output: stdout.Text());
    }

    // .NET reports a child killed by signal N as exit code 128 + N.
    private static string SignalOf(int exitCode) => exitCode switch
    {
        134 => " (SIGABRT)",
        137 => " (SIGKILL)",
        139 => " (SIGSEGV)",
        153 => " (SIGXFSZ: a file passed TaskGrid:Script:MaxFileBytes)",
        _ => "",
    };

    // Interpreters such as node decide a file's module type by its extension.
    private static string ExtensionOf(string name)
    {
        var extension = Path.GetExtension(name);
        return extension.Length is > 1 and <= 10 && extension.Skip(1).All(char.IsAsciiLetterOrDigit) ? extension : "";
    }

    private static long Mebibytes(long bytes) => bytes / (1024 * 1024);

    private void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
        catch (Win32Exception ex)
        {
            LogKillFailed(process.Id, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not kill script process {ProcessId}: {Reason}")]
    private partial void LogKillFailed(int processId, string reason);
}
