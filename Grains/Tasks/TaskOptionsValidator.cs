using Microsoft.Extensions.Options;

namespace TaskGrid.Grains.Tasks;

internal sealed class TaskOptionsValidator : IValidateOptions<TaskOptions>
{
    public ValidateOptionsResult Validate(string? name, TaskOptions options)
    {
        var failures = new List<string>();
        if (options.DefaultTtl <= TimeSpan.Zero)
        {
            failures.Add($"TaskGrid:Tasks:DefaultTtl must be positive; got {options.DefaultTtl}.");
        }
        if (options.DefaultMaxAttempts is < 1 or > 100)
        {
            failures.Add($"TaskGrid:Tasks:DefaultMaxAttempts must be between 1 and 100; got {options.DefaultMaxAttempts}.");
        }
        if (options.MaxTasksPerCall is < 1 or > 100_000)
        {
            failures.Add($"TaskGrid:Tasks:MaxTasksPerCall must be between 1 and 100000; got {options.MaxTasksPerCall}.");
        }
        if (options.MaxPendingTasksPerUser < 1)
        {
            failures.Add($"TaskGrid:Tasks:MaxPendingTasksPerUser must be at least 1; got {options.MaxPendingTasksPerUser}.");
        }
        if (options.Kinds.Count == 0)
        {
            failures.Add("TaskGrid:Tasks:Kinds must name at least one task kind.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
