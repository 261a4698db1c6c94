using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using TaskGrid.Gateway.Auth;

namespace TaskGrid.Gateway.Hosting;

/// <summary>
/// A token bucket per API key (per address for anonymous callers). Over the limit answers 429
/// with Retry-After. Limits are per gateway process.
/// </summary>
internal static class RateLimiting
{
    public static IServiceCollection AddPerKeyRateLimits(this IServiceCollection services, RateLimitOptions limits)
    {
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var key = context.User.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim);
                var (partition, perSecond, burst) = key is not null
                    ? ("key:" + key, limits.PermitsPerSecond, limits.Burst)
                    : ("anon:" + context.Connection.RemoteIpAddress, limits.AnonymousPermitsPerSecond, limits.AnonymousPermitsPerSecond * 2);
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = burst,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var problems = rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = rejected.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"This key may make {limits.PermitsPerSecond} requests per second (bursts of {limits.Burst}); retry after {seconds} s, or use bulk endpoints such as POST /v1/grids/{{id}}/tasks.",
                    },
                });
            };
        });
        return services;
    }
}
