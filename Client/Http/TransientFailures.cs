using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace TaskGrid.Client.Http;

/// <summary>
/// The retry policy: which failures are transient, and which of those may be retried for a
/// call that is not idempotent. A read is retried after any network error, a timeout, 502,
/// 503, 504, or 429 with Retry-After. A write is retried only when the request certainly never
/// reached the gateway's handlers: the connection could not be made, or the gateway's rate
/// limiter refused it with 429 and Retry-After (it refuses before anything runs). A write that
/// timed out or got 502/503/504 may have been carried out, so it fails and the caller decides.
/// </summary>
internal static class TransientFailures
{
    /// <summary>Carries the call being made to the retry predicate.</summary>
    public static readonly ResiliencePropertyKey<ApiRequest> RequestKey = new("taskgrid.request");

    public static ResiliencePipeline<HttpResponseMessage> CreatePipeline(TaskGridClientOptions options)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context, args.Outcome, options.MaxRetryDelay)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter(response) : null),
            });
        }
        // Inside the retry, so that the limit applies to each attempt.
        builder.AddTimeout(options.Timeout);
        return builder.Build();
    }

    public static bool ShouldRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryDelay)
    {
        var idempotent = context.Properties.TryGetValue(RequestKey, out var request) && request.IsIdempotent;
        if (outcome.Exception is { } exception)
        {
            return exception switch
            {
                HttpRequestException http when NeverSent(http) => true,
                HttpRequestException => idempotent,
                TimeoutRejectedException => idempotent,
                _ => false,
            };
        }
        var response = outcome.Result!;
        if (request is not null && (int)response.StatusCode == request.AlsoReadable)
        {
            return false;
        }
        var retryAfter = RetryAfter(response);
        if (retryAfter > maxRetryDelay)
        {
            return false; // not worth waiting for here; the caller sees the 429/503 and its Retry-After
        }
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => retryAfter is not null,
            HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => idempotent,
            _ => false,
        };
    }

    /// <summary>The server's Retry-After as a delay from now, when it sent one.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    // Failures while establishing the connection: no byte of the request was sent.
    private static bool NeverSent(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.NameResolutionError
            or HttpRequestError.ConnectionError
            or HttpRequestError.SecureConnectionError
            or HttpRequestError.ProxyTunnelError;
}
