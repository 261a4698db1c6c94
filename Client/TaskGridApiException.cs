using System.Net;

namespace TaskGrid.Client;

/// <summary>
/// The gateway answered with an error: its <c>application/problem+json</c> body (RFC 9457) is
/// kept field by field. 400 names bad fields in <see cref="Errors"/>; 401 and 403 are about the
/// API key; 404 is an unknown resource (or one the key may not see); 409 is a state conflict;
/// 413 is too large; 429 is too fast (see <see cref="RetryAfter"/>).
/// </summary>
public sealed class TaskGridApiException : Exception
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> s_noErrors = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Creates the exception from the parts of a problem answer.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="title">The problem's short summary.</param>
    /// <param name="detail">The problem's explanation of this occurrence.</param>
    /// <param name="errors">Messages by field path, for validation problems.</param>
    /// <param name="retryAfter">How long the server asked to wait, if it did.</param>
    public TaskGridApiException(
        HttpStatusCode statusCode,
        string? title,
        string? detail,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? errors = null,
        TimeSpan? retryAfter = null)
        : base(Describe(statusCode, title, detail))
    {
        StatusCode = statusCode;
        Title = title;
        Detail = detail;
        Errors = errors ?? s_noErrors;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates the exception with a message only (status 500).</summary>
    public TaskGridApiException()
        : this(HttpStatusCode.InternalServerError, null, null)
    {
    }

    /// <summary>Creates the exception with a message only (status 500).</summary>
    /// <param name="message">The message.</param>
    public TaskGridApiException(string message)
        : this(HttpStatusCode.InternalServerError, null, message)
    {
    }

    /// <summary>Creates the exception with a message and cause (status 500).</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TaskGridApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = HttpStatusCode.InternalServerError;
        Detail = message;
        Errors = s_noErrors;
    }

    /// <summary>The HTTP status code of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The problem's short summary, for example "Not found".</summary>
    public string? Title { get; }

    /// <summary>What went wrong in this call, in words, for example "task '…' was not found.".</summary>
    public string? Detail { get; }

    /// <summary>Messages keyed by field path (for example <c>tasks[3].language</c>); empty unless the request had invalid fields.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; }

    /// <summary>How long the server asked to wait before trying again (429, 503), if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    private static string Describe(HttpStatusCode statusCode, string? title, string? detail) =>
        (title, detail) switch
        {
            ({ Length: > 0 }, { Length: > 0 }) => $"{title}: {detail}",
            (_, { Length: > 0 }) => detail,
            ({ Length: > 0 }, _) => title,
            _ => $"The gateway answered {(int)statusCode} {statusCode}.",
        };
}
