using Microsoft.Extensions.Options;

namespace TaskGrid.Grains.Logs;

internal sealed class TaskLogOptionsValidator : IValidateOptions<TaskLogOptions>
{
    public ValidateOptionsResult Validate(string? name, TaskLogOptions options)
    {
        var failures = new List<string>();
        if (options.FlushInterval <= TimeSpan.Zero || options.FlushInterval > TimeSpan.FromSeconds(10))
        {
            failures.Add($"TaskGrid:Logs:FlushInterval must be positive and at most 10 s; got {options.FlushInterval}.");
        }
        if (options.BatchSize is < 1 or > 50_000)
        {
            failures.Add($"TaskGrid:Logs:BatchSize must be between 1 and 50000; got {options.BatchSize}.");
        }
        if (options.BufferCapacity < options.BatchSize)
        {
            failures.Add($"TaskGrid:Logs:BufferCapacity ({options.BufferCapacity}) must be at least BatchSize ({options.BatchSize}).");
        }
        if (options.MaxLineBytes is < 80 or > 1024 * 1024)
        {
            failures.Add($"TaskGrid:Logs:MaxLineBytes must be between 80 and 1 MiB; got {options.MaxLineBytes}.");
        }
        if (options.FollowPollInterval <= TimeSpan.Zero)
        {
            failures.Add($"TaskGrid:Logs:FollowPollInterval must be positive; got {options.FollowPollInterval}.");
        }
        if (options.FollowKeepAliveInterval < options.FollowPollInterval)
        {
            failures.Add($"TaskGrid:Logs:FollowKeepAliveInterval ({options.FollowKeepAliveInterval}) must not be shorter than FollowPollInterval ({options.FollowPollInterval}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
