using System.Diagnostics;
using System.Text.Json;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// Sends a request under a deadline and judges the answer by the rules every answer must
/// meet, whatever was sent: no 5xx, an answer in time, an error body that is problem+json
/// stating the same status, and the expected status when the case has one.
/// </summary>
public static class HostileProbe
{
    public static async Task<ProbeOutcome> SendAsync(
        HttpClient client, HostileRequest request, IReadOnlyDictionary<string, string> keys, TimeSpan timeout, bool routeIsAnonymous)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var message = request.ToMessage(keys);
            using var response = await client.SendAsync(message, deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            var status = (int)response.StatusCode;
            var failure = Judge(request, status, response.Content.Headers.ContentType?.MediaType, body, routeIsAnonymous);
            return new ProbeOutcome(request, status, body, Stopwatch.GetElapsedTime(started), failure);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return new ProbeOutcome(request, 0, "", Stopwatch.GetElapsedTime(started), $"no answer within {timeout.TotalSeconds:F0} s (a hang)");
        }
        catch (Exception ex)
        {
            // The in-process server rethrows what escaped the gateway's own error handling.
            return new ProbeOutcome(request, 0, "", Stopwatch.GetElapsedTime(started), $"the request failed with {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static string? Judge(HostileRequest request, int status, string? mediaType, string body, bool routeIsAnonymous)
    {
        if (status >= 500)
        {
            return $"answered {status}";
        }
        if (request.Expected is { } expected && !expected.Contains(status) && !(expected.Contains(401) && routeIsAnonymous))
        {
            return $"answered {status}; expected {string.Join(" or ", expected)}";
        }
        if (status < 400 || request.Method == "HEAD")
        {
            return null; // a HEAD answer has no body to judge
        }
        if (mediaType != "application/problem+json")
        {
            return $"answered {status} with Content-Type '{mediaType}', not application/problem+json";
        }
        try
        {
            using var problem = JsonDocument.Parse(body);
            return problem.RootElement.TryGetProperty("status", out var stated) && stated.TryGetInt32(out var code) && code == status
                ? null
                : $"answered {status} with a problem body that does not state that status";
        }
        catch (JsonException)
        {
            return $"answered {status} with a problem body that is not JSON";
        }
    }
}
