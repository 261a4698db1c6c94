using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
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
    private const int SigKill = 9;

    private static readonly string? s_setsid = FindProgram("setsid");

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
        // Under setsid the script leads a process group of its own, so that background processes
        // it leaves behind (which would hold its output open and run on unsupervised) can be
        // stopped with it. setsid execs the program in place: the process is the script itself.
        var start = new ProcessStartInfo(s_setsid ?? program)
        {
            WorkingDirectory = scratch,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (s_setsid is not null)
        {
            start.ArgumentList.Add(program);
        }
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

        // Under setsid a missing program would only show as setsid's own exit code.
        if (s_setsid is not null && (program.Contains('/', StringComparison.Ordinal) ? !File.Exists(program) : FindProgram(program) is null))
        {
            return new ExecutionOutcome.Failed($"Could not start '{program}' for interpreter '{spec.Interpreter}': it was not found.", Retryable: false);
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
            // Whatever the script left running in the background goes with it; until then it
            // would keep the output pipes open and the attempt would never end.
            KillGroup(process.Id);
            await draining.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            KillGroup(process.Id);
            await draining.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
            return new ExecutionOutcome.Failed(
                $"Timed out after {timeout.TotalSeconds:0.#} s; the script and its child processes were killed.",
                Retryable: false, Output: stdout.Text());
        }

        if (process.ExitCode == 0)
        {
            return new ExecutionOutcome.Succeeded(Output: stdout.Text());
        }
        var errorTail = stderr.Text().Trim();
        var reason = errorTail.Length == 0 ? "no output on stderr" : errorTail;
        return new ExecutionOutcome.Failed($"Exit code {process.ExitCode}: {reason}", Retryable: false, Output: stdout.Text());
    }

    /// <summary>Kills the process group the script leads (see <see cref="s_setsid"/>); nothing when it is gone.</summary>
    private static void KillGroup(int processGroup)
    {
        if (s_setsid is not null && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            _ = SendSignal(-processGroup, SigKill);
        }
    }

    private static string? FindProgram(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

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
