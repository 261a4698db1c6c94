using TaskGrid.Errors;
using TaskGrid.Paging;
using TaskGrid.Tasks;

namespace TaskGrid.Gateway.Apis;

/// <summary>Reads list query parameters, naming the parameter when one is wrong.</summary>
internal static class ListQueryParser
{
    public static TaskState? Status(string? status)
    {
        if (string.IsNullOrEmpty(status))
        {
            return null;
        }
        return TaskStateNames.TryParse(status, out var state)
            ? state
            : throw new RequestValidationException("status", $"'{status}' is not a task status; use one of {string.Join(", ", TaskStateNames.All.Select(s => s.ToName()))}.");
    }

    public static int Limit(int? limit) => limit ?? PageLimits.Default;
}
