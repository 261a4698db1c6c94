using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace TaskGrid.Grains.Executors.Script;

/// <summary>
/// One attempt's working directory: a random, unguessable name under the scratch root, mode
/// 0700 and owned by the attempt's uid, with an <c>out/</c> directory for files to keep.
/// Removed (with everything the script left) when disposed.
/// </summary>
internal sealed partial class ScratchDirectory : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly ILogger _logger;

    private ScratchDirectory(string path, ILogger logger)
    {
        Path = path;
        OutPath = System.IO.Path.Combine(path, "out");
        _logger = logger;
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>Its <c>out/</c> directory: files written there are saved as artifacts.</summary>
    public string OutPath { get; }

    public static ScratchDirectory Create(string root, SandboxLease lease, ILogger logger)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Script tasks need a Linux silo.");
        }
        Directory.CreateDirectory(root);
        var path = System.IO.Path.Combine(root, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        var scratch = new ScratchDirectory(path, logger);
        Directory.CreateDirectory(path, OwnerOnly);
        Directory.CreateDirectory(scratch.OutPath, OwnerOnly);
        ScriptSandbox.GiveTo(lease, scratch.OutPath);
        ScriptSandbox.GiveTo(lease, path);
        return scratch;
    }

    /// <summary>Creates <paramref name="name"/> in the directory for the attempt's uid to read, and returns its path.</summary>
    public async Task<string> WriteFileAsync(string name, Func<Stream, Task> write, SandboxLease lease)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Script tasks need a Linux silo.");
        }
        var path = System.IO.Path.Combine(Path, name);
        await using (var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            await write(file);
        }
        ScriptSandbox.GiveTo(lease, path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            // Recursive deletion removes symbolic links, never what they point at.
            Directory.Delete(Path, recursive: true);
        }
        catch (UnauthorizedAccessException) when (!OperatingSystem.IsWindows())
        {
            // A script may leave directories it made unreadable (chmod 000), which a silo that is
            // not root cannot empty: give them back their owner's rights, then delete.
            try
            {
                if (!OperatingSystem.IsWindows())
                {
                    MakeTraversable(new DirectoryInfo(Path));
                }
                Directory.Delete(Path, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogNotRemoved(Path, ex.Message);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogNotRemoved(Path, ex.Message);
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakeTraversable(DirectoryInfo directory)
    {
        if (directory.LinkTarget is not null)
        {
            return;
        }
        directory.UnixFileMode |= OwnerOnly;
        foreach (var child in directory.EnumerateDirectories())
        {
            MakeTraversable(child);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove scratch directory {Path}: {Reason}")]
    private partial void LogNotRemoved(string path, string reason);
}
