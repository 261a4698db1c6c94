using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace TaskGrid.Gateway.Hosting;

/// <summary>
/// Refuses a JSON body whose <c>charset</c> names no encoding this process has, with 415.
/// ASP.NET Core's JSON reader throws a plain <see cref="InvalidOperationException"/> for such a
/// body (<c>charset=garbage</c>, <c>charset="utf-8"</c> with quotes, the disabled <c>charset=utf-7</c>), which
/// would otherwise reach the exception handler as a 500. The check mirrors the reader's own:
/// UTF-8 is always fine, anything else must be an encoding <see cref="Encoding.GetEncoding(string)"/> knows.
/// </summary>
internal static class RequestCharset
{
    public static IApplicationBuilder UseReadableCharsets(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.HasJsonContentType()
                && MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
                && mediaType.Charset is { HasValue: true } charset
                && !IsReadable(charset.Value!))
            {
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status415UnsupportedMediaType,
                        Title = "Unsupported charset",
                        Detail = "The body's charset is not one this server can read; send JSON as UTF-8 (Content-Type: application/json).",
                    },
                });
                return;
            }
            await next(context);
        });

    private static bool IsReadable(string charset)
    {
        if (charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        try
        {
            Encoding.GetEncoding(charset);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return false; // unknown, or known but disabled (UTF-7)
        }
    }
}
