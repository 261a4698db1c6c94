using TaskGrid.Tasks;

namespace TaskGrid.Grains.Executors;

/// <summary>How one attempt ended.</summary>
public abstract record ExecutionOutcome
{
    private ExecutionOutcome()
    {
    }

    /// <summary>The attempt succeeded.</summary>
    /// <param name="Code">Generated code (codegen).</param>
    /// <param name="Output">Printed output (script).</param>
    /// <param name="Usage">Tokens used (codegen).</param>
    public sealed record Succeeded(string? Code = null, string? Output = null, TaskUsage? Usage = null) : ExecutionOutcome;

    /// <summary>The attempt failed.</summary>
    /// <param name="Error">What went wrong, in words the task's owner can act on.</param>
    /// <param name="Retryable">Whether another attempt may succeed.</param>
    /// <param name="RetryAfter">The least wait before the next attempt, when the other side said (a 429's Retry-After).</param>
    /// <param name="Output">What the attempt printed before it failed.</param>
    public sealed record Failed(string Error, bool Retryable, TimeSpan? RetryAfter = null, string? Output = null) : ExecutionOutcome;
}
