using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using TaskGrid.Errors;
using TaskGrid.Grains.Persistence;

namespace TaskGrid.Gateway.Errors;

/// <summary>
/// Turns every failure into <c>application/problem+json</c> (RFC 9457). Grains report expected
/// outcomes as typed exceptions (as Orleans grains do), and this is the one place that maps
/// them to status codes: unknown or invisible resource 404, state conflict 409, bad input 400
/// naming the field, body too large 413, database unreachable 503 (with Retry-After). Anything
/// else is a 500 that reveals nothing internal.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ResourceNotFoundException notFound => Problem(StatusCodes.Status404NotFound, "Not found", notFound.Message),
            AccessDeniedException denied => Problem(StatusCodes.Status403Forbidden, "Not allowed", denied.Message),
            RequestTooLargeException tooLarge => Problem(StatusCodes.Status413PayloadTooLarge, "Request too large", tooLarge.Message),
            StateConflictException conflict => Problem(StatusCodes.Status409Conflict, "Conflict with the current state", conflict.Message),
            RequestValidationException invalid => new ValidationProblemDetails(invalid.Errors.ToDictionary(e => e.Key, e => e.Value))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request has invalid fields",
                Detail = invalid.Message,
            },
            LimitExceededException limit => Problem(StatusCodes.Status429TooManyRequests, "Limit exceeded", limit.Message),
            BadHttpRequestException bad => FromBadRequest(context, bad),
            _ when PostgresErrors.IsTransient(exception) => Problem(StatusCodes.Status503ServiceUnavailable, "Database unavailable",
                "The database cannot be reached right now. Retry in a few seconds."),
            // MultipartReader's answer to a malformed upload (bad boundary, oversized part headers).
            InvalidDataException malformed => Problem(StatusCodes.Status400BadRequest, "Malformed request body", malformed.Message),
            _ => null,
        };
        if (problem is null)
        {
            if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
            {
                return true; // the client went away; nobody is left to answer
            }
            LogUnhandled(context.Request.Method, context.Request.Path, exception);
            problem = Problem(StatusCodes.Status500InternalServerError, "Internal error",
                "The server failed to handle the request. It has been logged; try again, and report it if it persists.");
        }
        context.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "2";
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails FromBadRequest(HttpContext context, BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large",
                "The request body is larger than this route accepts. Send fewer tasks per call (TaskGrid:Gateway:MaxRequestBodyBytes) or a smaller file (TaskGrid:Artifacts:MaxBytes).");
        }
        if (bad.InnerException is JsonException json)
        {
            var field = FieldOf(json.Path);
            var message = json.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "is not a known field."
                : json.Path is null or "$"
                    ? "must be well-formed JSON of the documented shape (an object, or an array for bulk adds)."
                    : "has the wrong type or format.";
            return new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body could not be read",
                Detail = $"{field}: {message}",
            };
        }
        if (bad.StatusCode == StatusCodes.Status400BadRequest && HasNoBody(context.Request)
            && context.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<IAcceptsMetadata>() is not null)
        {
            // The framework's own words ("Implicit body inferred ... Did you mean to use a
            // Service instead?") speak to the developer of the endpoint, not to its caller.
            const string Message = "is required: send the JSON this route documents, with Content-Type: application/json.";
            return new ValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = [Message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body is missing",
                Detail = "body: " + Message,
            };
        }
        return Problem(bad.StatusCode, "Bad request", bad.Message);
    }

    private static bool HasNoBody(HttpRequest request) =>
        request.ContentLength == 0 || request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false };

    // "$.tasks[3].priority" -> "tasks[3].priority"; the root is the body itself.
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static ProblemDetails Problem(int status, string title, string detail) =>
        new() { Status = status, Title = title, Detail = detail };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private partial void LogUnhandled(string method, PathString path, Exception exception);
}
