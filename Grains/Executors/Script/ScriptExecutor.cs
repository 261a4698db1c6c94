using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskGrid.Tasks;
using TaskGrid.Workers;

namespace TaskGrid.Grains.Executors.Script;

/// <summary>
/// Runs a script in a child process: its own scratch directory (removed afterwards), a clean
/// environment, a wall-clock timeout that kills the whole process tree, and bounded output.
/// Exit code 0 completes the task with its standard output; anything else fails it with the
/// exit code and the end of standard error.
/// </summary>
internal sealed partial class ScriptExecutor(IOptions<ScriptOptions> options, ILogger<ScriptExecutor> logger) : ITaskExecutor
{
    private const int StderrTailBytes = 4 * 1024;

    public string Kind => TaskKinds.Script;

    public async Task<ExecutionOutcome> ExecuteAsync(ClaimedTask task, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (task.Script is not { } spec)
        {
            return new ExecutionOutcome.Failed("A script task needs a source and an interpreter.", Retryable: false);
        }
        if (!settings.Interpreters.TryGetValue(spec.Interpreter, out var program))
        {
            return new ExecutionOutcome.Failed(
                $"Interpreter '{spec.Interpreter}' is not available on this silo; use one of: {string.Join(", ", settings.Interpreters.Keys.Order())}.",
                Retryable: false);
        }

        var scratch = Directory.CreateDirectory(Path.Combine(settings.ScratchRoot, $"{task.Id:N}-{task.Attempt}"));
        try
        {
            var scriptPath = Path.Combine(scratch.FullName, "script");
            await File.WriteAllTextAsync(scriptPath, spec.Source, cancellationToken);
            return await RunAsync(task, spec, program, scriptPath, scratch.FullName, settings, cancellationToken);
        }
        finally
        {
            TryDelete(scratch);
        }
    }

    private async Task<ExecutionOutcome> RunAsync(ClaimedTask task, ScriptSpec spec, string program, string scriptPath, string scratch, ScriptOptions settings, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = scratch,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(scriptPath);
        foreach (var arg in spec.Args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = scratch;
        start.Environment["TMPDIR"] = scratch;
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["TASKGRID_TASK_ID"] = task.Id.ToString();
        start.Environment["TASKGRID_ATTEMPT"] = task.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in spec.Env)
        {
            start.Environment[name] = value;
        }

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

        var timeout = task.Timeout ?? settings.DefaultTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var stdout = new BoundedCapture(settings.MaxOutputBytes, keepTail: false);
        using var stderr = new BoundedCapture(StderrTailBytes, keepTail: true);
        var draining = Task.WhenAll(
            stdout.DrainAsync(process.StandardOutput.BaseStream, CancellationToken.None),
            stderr.DrainAsync(process.StandardError.BaseStream, CancellationToken.None));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            await draining.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
            return new ExecutionOutcome.Failed(
                $"Timed out after {timeout.TotalSeconds:0.#} s; the script and its child processes were killed.",
                Retryable: false, Output: stdout.Text());
        }
        await draining;

        if (process.ExitCode == 0)
        {
            return new ExecutionOutcome.Succeeded(Output: stdout.Text());
        }
        var errorTail = stderr.Text().Trim();
        var reason = errorTail.Length == 0 ? "no output on stderr" : errorTail;
        return new ExecutionOutcome.Failed($"Exit code {process.ExitCode}: {reason}", Retryable: false, Output: stdout.Text());
    }

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

    private void TryDelete(DirectoryInfo scratch)
    {
        try
        {
            scratch.Delete(recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogScratchNotRemoved(scratch.FullName, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not kill script process {ProcessId}: {Reason}")]
    private partial void LogKillFailed(int processId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove scratch directory {Path}: {Reason}")]
    private partial void LogScratchNotRemoved(string path, string reason);
}
