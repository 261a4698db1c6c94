using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace TaskGrid.Gateway.Hosting;

/// <summary>
/// Refuses a body larger than <see cref="GatewayOptions.MaxRequestBodyBytes"/> (or the route's
/// own <see cref="IRequestSizeLimitMetadata"/>, as artifact uploads have) with 413 before
/// reading it when its Content-Length says so, and caps streamed bodies through the server's
/// own limit (Kestrel then fails the read, which the exception handler answers with 413), or,
/// on a server without a settable limit, by counting what the body stream hands out.
/// </summary>
internal static class RequestSizeLimit
{
    public static IApplicationBuilder UseRequestSizeLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
                ?? context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxRequestBodyBytes;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            {
                sizeFeature.MaxRequestBodySize = limit;
            }
            else
            {
                context.Request.Body = new LimitedRequestBody(context.Request.Body, limit);
            }
            if (context.Request.ContentLength > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status413PayloadTooLarge,
                        Title = "Request body too large",
                        Detail = $"The body is {context.Request.ContentLength} bytes; this route accepts at most {limit}. Send fewer tasks per call, or a smaller file.",
                    },
                });
                return;
            }
            await next(context);
        });
}
