using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TaskGrid.Grains.Executors.Script;

/// <summary>
/// How a script is confined, built from small, standard tools rather than a container runtime
/// (silos run in unprivileged pods where neither cgroups nor namespaces can be created):
///
/// - <c>setsid</c>: the script leads a session and process group of its own, so everything it
///   starts can be killed as a group.
/// - <c>prlimit</c>: resource limits the script cannot raise: address space (the memory limit),
///   file size, no core dumps, and (when it has a uid of its own) a process count.
/// - <c>setpriv</c>, when the silo runs as root: the script runs as a uid of its own from a
///   configured range, with no supplementary groups, no capabilities and no-new-privs, so it can
///   read neither the silo's files, another attempt's scratch directory, nor the silo's
///   <c>/proc</c> entries. A uid is held by one attempt at a time across every silo on the
///   machine through a lock file in a directory they all share (the lock dies with its holder),
///   and before and after each attempt every process of that uid is killed, including daemons
///   that left the process group.
///
/// A silo that is not root cannot switch users: the script then runs as the silo's own user.
/// The silo makes itself non-dumpable at start-up, so even then a script cannot read the silo's
/// environment or memory through <c>/proc</c>; but attempts can see each other's files.
/// </summary>
internal sealed partial class ScriptSandbox
{
    private readonly ScriptOptions _options;
    private readonly ILogger<ScriptSandbox> _logger;
    private readonly HashSet<int> _held = [];
    private readonly Lock _gate = new();
    private readonly string? _setsid;
    private readonly string? _prlimit;
    private readonly string? _setpriv;
    private readonly string? _tar;
    private bool _rootPrepared;

    public ScriptSandbox(IOptions<ScriptOptions> options, ILogger<ScriptSandbox> logger)
    {
        _options = options.Value;
        _logger = logger;
        Isolates = _options.RunAsUnprivilegedUser && OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess;
        _setsid = FindProgram("setsid");
        _prlimit = FindProgram("prlimit");
        _setpriv = FindProgram("setpriv");
        _tar = FindProgram("tar");
        var missing = new List<string>();
        foreach (var (tool, path) in new[] { ("setsid", _setsid), ("prlimit", _prlimit), ("setpriv", Isolates ? _setpriv : ""), ("tar", _tar) })
        {
            if (path is null)
            {
                missing.Add(tool);
            }
        }
        Unavailable = !OperatingSystem.IsLinux()
            ? "Script tasks need a Linux silo."
            : missing.Count > 0
                ? $"This silo cannot confine scripts: {string.Join(", ", missing)} not found on TaskGrid:Script:Path ({_options.Path}). Install util-linux and tar."
                : null;
    }

    /// <summary>Whether each attempt runs as a uid of its own (the silo is root and it is allowed).</summary>
    public bool Isolates { get; }

    /// <summary>Why scripts cannot run here, or null when they can.</summary>
    public string? Unavailable { get; }

    /// <summary>
    /// Where attempts get their scratch directories: a directory of the scratch root that the
    /// sandbox owns when isolating (so that it can make it unlistable without touching a scratch
    /// root that may be shared, such as <c>/tmp</c>), else the scratch root itself.
    /// </summary>
    public string ScratchParent => Isolates ? Path.Combine(_options.ScratchRoot, "isolated") : _options.ScratchRoot;

    /// <summary>The full path of <paramref name="program"/> (a path, or a name on the script PATH), or null.</summary>
    public string? FindProgram(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? program : null;
        }
        foreach (var directory in _options.Path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Takes a uid for one attempt (or the silo's own identity when not isolating); dispose to give it back.</summary>
    public async Task<SandboxLease> AcquireAsync(CancellationToken cancellationToken)
    {
        if (!Isolates)
        {
            return new SandboxLease(this, null, null);
        }
        PrepareRoot();
        var locks = _options.SandboxLockDirectory;
        var offset = Random.Shared.Next(_options.SandboxUidCount);
        for (var i = 0; i < _options.SandboxUidCount; i++)
        {
            var uid = _options.SandboxUidStart + (offset + i) % _options.SandboxUidCount;
            lock (_gate)
            {
                if (!_held.Add(uid))
                {
                    continue;
                }
            }
            FileStream? lockFile = null;
            try
            {
                // FileShare.None takes an exclusive flock(2): held across every process on this
                // machine, and released by the kernel if this silo dies.
                lockFile = new FileStream(Path.Combine(locks, uid.ToString(CultureInfo.InvariantCulture)), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                Release(uid);
                continue;
            }
            // A silo that died mid-attempt may have left processes running as this uid.
            await KillAllOfAsync(uid, cancellationToken);
            return new SandboxLease(this, uid, lockFile);
        }
        throw new InvalidOperationException(
            $"All {_options.SandboxUidCount} script uids from {_options.SandboxUidStart} are in use on this machine; raise TaskGrid:Script:SandboxUidCount or lower the silos' concurrency.");
    }

    /// <summary>The command line that runs <paramref name="program"/> confined: its own session, its limits and, when isolating, its own uid.</summary>
    public List<string> Command(SandboxLease lease, string program, IEnumerable<string> arguments)
    {
        List<string> command = [_setsid!, "--", _prlimit!,
            $"--as={_options.MemoryLimitBytes}", $"--fsize={_options.MaxFileBytes}", "--core=0"];
        if (lease.Uid is not null)
        {
            command.Add($"--nproc={_options.MaxProcesses}");
        }
        command.Add("--");
        command.AddRange(AsUser(lease));
        command.Add(program);
        command.AddRange(arguments);
        return command;
    }

    /// <summary>The command line that archives <paramref name="directory"/> to standard output, read with the script's own rights.</summary>
    public List<string> ArchiveCommand(SandboxLease lease, string directory) =>
        [.. AsUser(lease), _tar!, "--create", "--file=-", "--numeric-owner", "--one-file-system", "--directory=" + directory, "."];

    /// <summary>Hands a path the silo created to the attempt's uid.</summary>
    public static void GiveTo(SandboxLease lease, string path)
    {
        if (lease.Uid is { } uid && Libc.Chown(path, (uint)uid, (uint)uid) != 0)
        {
            throw new IOException($"Could not hand {path} to uid {uid}: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>
    /// Kills whatever the attempt left running: every process of its uid when isolating,
    /// otherwise its process group (a process that made itself a new session escapes that).
    /// </summary>
    public async Task KillLeftoversAsync(SandboxLease lease, int processGroup, CancellationToken cancellationToken)
    {
        if (lease.Uid is { } uid)
        {
            await KillAllOfAsync(uid, cancellationToken);
        }
        else if (processGroup > 1)
        {
            // ESRCH (the group is already gone) is the usual answer, and fine.
            _ = Libc.Kill(-processGroup, Libc.SigKill);
        }
    }

    internal async Task ReleaseAsync(int uid, FileStream lockFile)
    {
        try
        {
            await KillAllOfAsync(uid, CancellationToken.None);
        }
        finally
        {
            await lockFile.DisposeAsync();
            Release(uid);
        }
    }

    private IEnumerable<string> AsUser(SandboxLease lease)
    {
        if (lease.Uid is not { } uid)
        {
            return [];
        }
        var id = uid.ToString(CultureInfo.InvariantCulture);
        return [_setpriv!, "--reuid=" + id, "--regid=" + id, "--clear-groups", "--no-new-privs",
            "--inh-caps=-all", "--bounding-set=-all", "--"];
    }

    // kill(-1) as the uid itself signals every process that uid owns, atomically in the kernel,
    // so nothing it forks meanwhile escapes; the shell's own kill builtin needs no extra tool.
    private async Task KillAllOfAsync(int uid, CancellationToken cancellationToken)
    {
        var id = uid.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(_setpriv!) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "--reuid=" + id, "--regid=" + id, "--clear-groups", "--", "/bin/sh", "-c", "kill -KILL -1 2>/dev/null; exit 0" })
        {
            start.ArgumentList.Add(argument);
        }
        using var sweep = Process.Start(start) ?? throw new InvalidOperationException("Could not start setpriv.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        await sweep.WaitForExitAsync(deadline.Token);
        if (sweep.ExitCode != 0)
        {
            LogSweepFailed(uid, sweep.ExitCode, (await sweep.StandardError.ReadToEndAsync(CancellationToken.None)).Trim());
        }
    }

    // The parent of the scratch directories: root's, and only traversable by others, so that a
    // script can enter its own directory but not list anyone else's.
    private void PrepareRoot()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Script tasks need a Linux silo.");
        }
        lock (_gate)
        {
            if (_rootPrepared)
            {
                return;
            }
            const UnixFileMode traverseOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            Directory.CreateDirectory(ScratchParent);
            if (Libc.Chown(ScratchParent, 0, 0) != 0)
            {
                throw new IOException($"Could not take ownership of {ScratchParent}: errno {Marshal.GetLastPInvokeError()}.");
            }
            File.SetUnixFileMode(ScratchParent, traverseOnly);
            Directory.CreateDirectory(_options.SandboxLockDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(_options.SandboxLockDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            _rootPrepared = true;
        }
    }

    private void Release(int uid)
    {
        lock (_gate)
        {
            _held.Remove(uid);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Killing the leftover processes of script uid {Uid} failed with exit code {ExitCode}: {Reason}")]
    private partial void LogSweepFailed(int uid, int exitCode, string reason);
}

/// <summary>One attempt's identity: its own uid, or (when null) the silo's.</summary>
internal sealed class SandboxLease : IAsyncDisposable
{
    private readonly ScriptSandbox _sandbox;
    private readonly FileStream? _lockFile;

    internal SandboxLease(ScriptSandbox sandbox, int? uid, FileStream? lockFile)
    {
        _sandbox = sandbox;
        Uid = uid;
        _lockFile = lockFile;
    }

    /// <summary>The uid the attempt runs as, or null for the silo's own.</summary>
    public int? Uid { get; }

    public ValueTask DisposeAsync() =>
        Uid is { } uid && _lockFile is not null ? new ValueTask(_sandbox.ReleaseAsync(uid, _lockFile)) : ValueTask.CompletedTask;
}
