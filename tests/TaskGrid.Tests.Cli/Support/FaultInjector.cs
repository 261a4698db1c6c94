using System.Collections.Concurrent;
using System.Net;

namespace TaskGrid.Tests.Cli.Support;

/// <summary>
/// Sits between the SDK and the real gateway and misbehaves on cue: each queued fault answers
/// (or fails) one matching request instead of the gateway; everything else goes through. Counts
/// what it saw, so tests can tell how many attempts a call made.
/// </summary>
public sealed class FaultInjector() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly ConcurrentQueue<Fault> _faults = new();
    private int _attempts;
    private int _forwarded;

    public int Attempts => Volatile.Read(ref _attempts);

    public int Forwarded => Volatile.Read(ref _forwarded);

    public ConcurrentQueue<(HttpMethod Method, string Path)> Seen { get; } = new();

    /// <summary>The next matching request gets this status (with Retry-After seconds, if given).</summary>
    public FaultInjector Answer(HttpMethod method, HttpStatusCode status, int? retryAfterSeconds = null)
    {
        _faults.Enqueue(new Fault(method, status, retryAfterSeconds, null, null));
        return this;
    }

    /// <summary>The next matching request fails before it is sent, as when the connection cannot be made.</summary>
    public FaultInjector Refuse(HttpMethod method)
    {
        _faults.Enqueue(new Fault(method, null, null, new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (injected)"), null));
        return this;
    }

    /// <summary>The next matching request goes through, but its answer comes only after <paramref name="delay"/>.</summary>
    public FaultInjector Delay(HttpMethod method, TimeSpan delay)
    {
        _faults.Enqueue(new Fault(method, null, null, null, delay));
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        Seen.Enqueue((request.Method, request.RequestUri!.PathAndQuery));
        if (_faults.TryPeek(out var fault) && fault.Method == request.Method && _faults.TryDequeue(out fault))
        {
            if (fault.Exception is not null)
            {
                throw fault.Exception;
            }
            if (fault.Delay is { } delay)
            {
                await Task.Delay(delay, cancellationToken);
            }
            if (fault.Status is { } status)
            {
                var response = new HttpResponseMessage(status)
                {
                    RequestMessage = request,
                    Content = new StringContent($"{{\"title\":\"Injected\",\"status\":{(int)status},\"detail\":\"injected {(int)status}\"}}", System.Text.Encoding.UTF8, "application/problem+json"),
                };
                if (fault.RetryAfterSeconds is { } seconds)
                {
                    response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
                }
                return response;
            }
        }
        Interlocked.Increment(ref _forwarded);
        return await base.SendAsync(request, cancellationToken);
    }

    private sealed record Fault(HttpMethod Method, HttpStatusCode? Status, int? RetryAfterSeconds, Exception? Exception, TimeSpan? Delay);
}
