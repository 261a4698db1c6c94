using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TaskGrid.Testing;

/// <summary>
/// A real silo or gateway process started from the build output, with its output kept for
/// diagnostics. Tests kill it (<c>kill -9</c>), stop it gracefully (SIGTERM), or freeze it (SIGSTOP).
/// </summary>
public sealed partial class TaskGridProcess : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

    private TaskGridProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>A name for messages (the silo name, or "gateway").</summary>
    public string Name { get; }

    /// <summary>The operating-system process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process printed.</summary>
    public string RecentOutput => string.Join('\n', _output);

    /// <summary>Starts <c>TaskGrid.{project}.dll</c> with the given environment and arguments.</summary>
    public static TaskGridProcess Start(string project, string name, IDictionary<string, string> environment, params string[] args) =>
        StartAs([], project, name, environment, args);

    /// <summary>
    /// Starts <c>TaskGrid.{project}.dll</c> through <paramref name="prefix"/>, a command that runs
    /// the rest (for example <c>setpriv --reuid=65534 ... --</c> to start it as another user).
    /// </summary>
    public static TaskGridProcess StartAs(IReadOnlyList<string> prefix, string project, string name, IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(prefix.Count > 0 ? prefix[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var part in prefix.Skip(1))
        {
            start.ArgumentList.Add(part);
        }
        if (prefix.Count > 0)
        {
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(TestEnvironment.ProcessAssembly(project));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new TaskGridProcess(process, name);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until the process prints a line containing <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        TaskCompletionSource seen;
        lock (_waiters)
        {
            if (_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }
            seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, seen));
        }
        var exited = _process.WaitForExitAsync();
        var finished = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
        if (finished != seen.Task)
        {
            var why = finished == exited ? $"it exited with code {_process.ExitCode}" : $"{timeout.TotalSeconds:0} s passed";
            throw new TimeoutException($"{Name} never printed '{text}' ({why}). Its output:\n{RecentOutput}");
        }
    }

    /// <summary>Kills the process at once, as <c>kill -9</c> does.</summary>
    public void Kill() => Signal(SigKill);

    /// <summary>Asks the process to stop, as Kubernetes does (SIGTERM).</summary>
    public void Terminate() => Signal(SigTerm);

    /// <summary>Freezes the process (SIGSTOP).</summary>
    public void Freeze() => Signal(SigStop);

    /// <summary>Thaws a frozen process (SIGCONT).</summary>
    public void Thaw() => Signal(SigCont);

    /// <summary>Waits for the process to exit; false if it did not within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Thaw();
            Kill();
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
    }

    private void Signal(int signal)
    {
        if (!_process.HasExited && SendSignal(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"Could not send signal {signal} to {Name} (pid {_process.Id}): errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > 400)
        {
            _output.TryDequeue(out _);
        }
        lock (_waiters)
        {
            foreach (var waiter in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
