namespace TaskGrid.Grains.Executors.Script;

/// <summary>How script tasks run on this silo. Section <c>TaskGrid:Script</c>.</summary>
public sealed class ScriptOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:Script";

    /// <summary>
    /// Interpreter names a task may ask for, mapped to the program that runs them (a path, or a
    /// name looked up on <see cref="Path"/>). Default: bash, sh, python3, node.
    /// </summary>
    public IDictionary<string, string> Interpreters { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["bash"] = "bash",
        ["sh"] = "sh",
        ["python3"] = "python3",
        ["node"] = "node",
    };

    /// <summary>
    /// The <c>PATH</c> scripts get, and where interpreters and the sandbox's tools (<c>setsid</c>,
    /// <c>prlimit</c>, <c>setpriv</c>, <c>tar</c>, all from util-linux and tar) are looked up. Not
    /// the silo's own PATH: a script should not inherit the silo's environment, and an unprivileged
    /// script user may not be able to enter directories on it. Default: the system directories.
    /// </summary>
    public string Path { get; set; } = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Wall-clock limit of one attempt when the task sets none. Default: 60 seconds.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most bytes of standard output kept as the task's output; the rest is dropped and marked. Default: 1 MiB.</summary>
    public int MaxOutputBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Most bytes of standard output and error one attempt stores in the task's log (a line counts
    /// at least 64 bytes, about a stored row's overhead); past it lines are counted, not stored.
    /// Default: 8 MiB.
    /// </summary>
    public long MaxLogBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>
    /// The script's address-space limit (<c>RLIMIT_AS</c>, set with <c>prlimit</c>): allocations past
    /// it fail, so a memory hog gets an out-of-memory error instead of taking the silo's memory. It
    /// limits virtual, not resident, memory, and runtimes reserve more than they use: Node.js needs
    /// about 1 GiB just to start. Default: 2 GiB.
    /// </summary>
    public long MemoryLimitBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Largest file a script may write (<c>RLIMIT_FSIZE</c>); writing past it fails. Default: 1 GiB.</summary>
    public long MaxFileBytes { get; set; } = 1L * 1024 * 1024 * 1024;

    /// <summary>Most processes a script's user may have at once (<c>RLIMIT_NPROC</c>), against fork bombs. Applies when scripts run as their own user (see <see cref="RunAsUnprivilegedUser"/>). Default: 256.</summary>
    public int MaxProcesses { get; set; } = 256;

    /// <summary>Most files under <c>out/</c> saved as artifacts per attempt. Default: 100.</summary>
    public int MaxOutputFiles { get; set; } = 100;

    /// <summary>Most bytes of files under <c>out/</c> saved per attempt. Default: 256 MiB.</summary>
    public long MaxOutputFilesBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// When the silo runs as root, run each script attempt as an unprivileged user of its own: a
    /// uid from <see cref="SandboxUidStart"/> that no other running attempt on the machine holds,
    /// with no supplementary groups, no capabilities and no way to gain privileges. Its scratch
    /// directory belongs to that uid alone. A silo that is not root (as under Kubernetes) cannot
    /// switch users and runs scripts as itself. Default: true.
    /// </summary>
    public bool RunAsUnprivilegedUser { get; set; } = true;

    /// <summary>The first uid (and gid) scripts run as under a root silo. Default: 60000.</summary>
    public int SandboxUidStart { get; set; } = 60000;

    /// <summary>How many uids scripts may use: the most script attempts running at once on one machine, across its silos. Default: 1000.</summary>
    public int SandboxUidCount { get; set; } = 1000;

    /// <summary>
    /// Where root silos hold their script uids (one lock file per uid in use). Every silo of a
    /// machine (or container) must use the same directory, whatever its scratch root, or two of
    /// them could hand out the same uid. Default: <c>/run/taskgrid/script-uids</c>.
    /// </summary>
    public string SandboxLockDirectory { get; set; } = "/run/taskgrid/script-uids";

    /// <summary>Where each attempt gets its own scratch directory. Default: the system temp directory's <c>taskgrid-scripts</c>.</summary>
    public string ScratchRoot { get; set; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "taskgrid-scripts");
}
