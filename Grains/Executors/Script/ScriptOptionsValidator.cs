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
        if (string.IsNullOrWhiteSpace(options.ScratchRoot) || !Path.IsPathRooted(options.ScratchRoot))
        {
            failures.Add($"TaskGrid:Script:ScratchRoot must be an absolute path; got '{options.ScratchRoot}'.");
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
