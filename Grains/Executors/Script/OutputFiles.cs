using System.Diagnostics;
using System.Formats.Tar;
using Microsoft.Extensions.Logging;
using Npgsql;
using TaskGrid.Grains.Artifacts;
using TaskGrid.Grains.Logs;
using TaskGrid.Workers;

namespace TaskGrid.Grains.Executors.Script;

/// <summary>
/// Saves the files a script wrote under <c>out/</c> as artifacts of the task's owner, linked to
/// the task by path.
///
/// The silo never opens a path the script controls. <c>tar</c>, running with the script's own
/// rights, archives <c>out/</c> to a pipe, and the silo keeps only the regular files in that
/// stream. A symbolic link (to <c>/etc/shadow</c>, or to the silo's own
/// <c>/proc/self/environ</c>) is archived as a link, not followed, and skipped; a file the
/// script could not read itself cannot be read for it either.
/// </summary>
internal sealed partial class OutputFiles(ScriptSandbox sandbox, ArtifactRepository artifacts, ITaskLog log, ILogger<OutputFiles> logger)
{
    private static readonly TimeSpan s_patience = TimeSpan.FromMinutes(5);

    /// <summary>Saves the attempt's output files within the limits; returns how many were saved.</summary>
    public async Task<int> SaveAsync(ClaimedTask task, ScratchDirectory scratch, SandboxLease lease, ScriptOptions options, CancellationToken cancellationToken)
    {
        var outDirectory = new DirectoryInfo(scratch.OutPath);
        if (outDirectory.LinkTarget is not null)
        {
            log.System(task, "Not saved: out/ was replaced by a link; only files in the directory itself are saved.");
            return 0;
        }
        if (!outDirectory.Exists || !outDirectory.EnumerateFileSystemInfos().Any())
        {
            return 0;
        }
        var command = sandbox.ArchiveCommand(lease, scratch.OutPath);
        var start = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = scratch.Path,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        start.Environment["PATH"] = options.Path;
        start.Environment["LANG"] = "C.UTF-8";

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(s_patience);
        using var tar = Process.Start(start) ?? throw new InvalidOperationException("Could not start tar.");
        tar.StandardInput.Close();
        using var errors = new BoundedCapture(2048, keepTail: true);
        var draining = DrainAsync(tar.StandardError.BaseStream, errors);
        var saved = 0;
        long bytes = 0;
        try
        {
            await using var archive = new TarReader(tar.StandardOutput.BaseStream, leaveOpen: true);
            while (await archive.GetNextEntryAsync(copyData: false, deadline.Token) is { } entry)
            {
                var name = NameOf(entry.Name);
                if (name.Length == 0 || entry.EntryType == TarEntryType.Directory)
                {
                    continue;
                }
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                {
                    log.System(task, $"Not saved: out/{name} is not a regular file ({entry.EntryType}).");
                    continue;
                }
                if (saved >= options.MaxOutputFiles)
                {
                    log.System(task, $"Only the first {options.MaxOutputFiles} files under out/ are saved (TaskGrid:Script:MaxOutputFiles).");
                    break;
                }
                if (entry.Length > artifacts.MaxBytes)
                {
                    log.System(task, $"Not saved: out/{name} has {entry.Length} bytes; an artifact holds at most {artifacts.MaxBytes}.");
                    continue;
                }
                if (bytes + entry.Length > options.MaxOutputFilesBytes)
                {
                    log.System(task, $"Not saved: out/{name} and what follows; an attempt saves at most {options.MaxOutputFilesBytes} bytes of files.");
                    break;
                }
                var result = await artifacts.SaveAsync(
                    new NewArtifact(task.UserId, name, ContentType: null, Uploaded: false, new TaskOutput(task.Id, "out/" + name)),
                    entry.DataStream ?? Stream.Null, deadline.Token);
                saved++;
                bytes += entry.Length;
                log.System(task, $"Saved out/{name} ({entry.Length} bytes) as artifact {result.Artifact.Id}.");
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or NpgsqlException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogOutputsFailed(task.Id, ex.Message);
            log.System(task, $"Could not save all files under out/: {ex.Message}");
        }
        finally
        {
            if (!tar.HasExited)
            {
                tar.Kill(entireProcessTree: true);
            }
            await tar.WaitForExitAsync(CancellationToken.None);
            await draining;
        }
        if (tar.ExitCode != 0 && errors.Text().Trim() is { Length: > 0 } complaint)
        {
            log.System(task, $"Some files under out/ could not be read: {complaint}");
        }
        return saved;
    }

    // "./plots/a.png" -> "plots/a.png"; control characters would end up in download headers.
    private static string NameOf(string entryName)
    {
        var name = entryName.StartsWith("./", StringComparison.Ordinal) ? entryName[2..] : entryName;
        name = name.TrimEnd('/');
        name = string.Concat(name.Select(c => char.IsControl(c) ? '_' : c));
        return name.Length <= 240 ? name : name[..240];
    }

    private static async Task DrainAsync(Stream source, BoundedCapture capture)
    {
        var buffer = new byte[4096];
        int read;
        try
        {
            while ((read = await source.ReadAsync(buffer)) > 0)
            {
                capture.Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the output files of task {TaskId}: {Reason}")]
    private partial void LogOutputsFailed(Guid taskId, string reason);
}
