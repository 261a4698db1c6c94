using Microsoft.Extensions.Options;

namespace TaskGrid.Grains.Executors.Script;

internal sealed class ScriptOptionsValidator : IValidateOptions<ScriptOptions>
{
    public ValidateOptionsResult Validate(string? name, ScriptOptions options)
    {
        var failures = new List<string>();
        if (options.DefaultTimeout <= TimeSpan.Zero)
        {
            failures.Add($"TaskGrid:Script:DefaultTimeout must be positive; got {options.DefaultTimeout}.");
        }
        if (options.MaxOutputBytes is < 1024 or > 64 * 1024 * 1024)
        {
            failures.Add($"TaskGrid:Script:MaxOutputBytes must be between 1 KiB and 64 MiB; got {options.MaxOutputBytes}.");
        }
        if (options.MaxLogBytes is < 1024 or > 1L << 30)
        {
            failures.Add($"TaskGrid:Script:MaxLogBytes must be between 1 KiB and 1 GiB; got {options.MaxLogBytes}.");
        }
        if (options.MemoryLimitBytes < 16 * 1024 * 1024)
        {
            failures.Add($"TaskGrid:Script:MemoryLimitBytes must be at least 16 MiB (interpreters do not start with less); got {options.MemoryLimitBytes}.");
        }
        if (options.MaxFileBytes < 1024)
        {
            failures.Add($"TaskGrid:Script:MaxFileBytes must be at least 1 KiB; got {options.MaxFileBytes}.");
        }
        if (options.MaxProcesses is < 1 or > 100_000)
        {
            failures.Add($"TaskGrid:Script:MaxProcesses must be between 1 and 100000; got {options.MaxProcesses}.");
        }
        if (options.MaxOutputFiles is < 0 or > 10_000)
        {
            failures.Add($"TaskGrid:Script:MaxOutputFiles must be between 0 and 10000; got {options.MaxOutputFiles}.");
        }
        if (options.MaxOutputFilesBytes < 0)
        {
            failures.Add($"TaskGrid:Script:MaxOutputFilesBytes must not be negative; got {options.MaxOutputFilesBytes}.");
        }
        if (options.SandboxUidStart < 1000 || options.SandboxUidCount < 1 || (long)options.SandboxUidStart + options.SandboxUidCount > int.MaxValue)
        {
            failures.Add($"TaskGrid:Script:SandboxUidStart ({options.SandboxUidStart}) must be at least 1000 (clear of system users) and SandboxUidCount ({options.SandboxUidCount}) at least 1.");
        }
        if (string.IsNullOrWhiteSpace(options.SandboxLockDirectory) || !Path.IsPathRooted(options.SandboxLockDirectory))
        {
            failures.Add($"TaskGrid:Script:SandboxLockDirectory must be an absolute path; got '{options.SandboxLockDirectory}'.");
        }
        if (string.IsNullOrWhiteSpace(options.ScratchRoot) || !Path.IsPathRooted(options.ScratchRoot))
        {
            failures.Add($"TaskGrid:Script:ScratchRoot must be an absolute path; got '{options.ScratchRoot}'.");
        }
        if (string.IsNullOrWhiteSpace(options.Path) || options.Path.Split(':').Any(dir => !Path.IsPathRooted(dir)))
        {
            failures.Add($"TaskGrid:Script:Path must be a ':'-separated list of absolute directories; got '{options.Path}'.");
        }
        foreach (var (interpreter, program) in options.Interpreters)
        {
            if (string.IsNullOrWhiteSpace(program))
            {
                failures.Add($"TaskGrid:Script:Interpreters:{interpreter} must name a program.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
