using System.ClientModel.Primitives;
using System.Globalization;

namespace TaskGrid.Grains.Executors.Codegen;

/// <summary>Reads how long a rate-limited endpoint asked us to wait.</summary>
internal static class RetryAfterHeader
{
    /// <summary>
    /// The wait from <c>retry-after-ms</c> (OpenAI's precise form), else <c>Retry-After</c> as
    /// seconds or an HTTP date; null when absent or unreadable.
    /// </summary>
    public static TimeSpan? Read(PipelineResponse? response, DateTimeOffset now)
    {
        if (response is null)
        {
            return null;
        }
        if (response.Headers.TryGetValue("retry-after-ms", out var ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }
        if (!response.Headers.TryGetValue("Retry-After", out var value) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? (date > now ? date - now : TimeSpan.Zero)
            : null;
    }
}
