using System.Net;
using System.Text.Json;
using Spectre.Console;
using TaskGrid.Client;

namespace TaskGrid.Cli.Commands;

/// <summary>
/// Turns whatever stopped a command into one line on standard error and an exit code (see
/// <see cref="ExitCodes"/>). Never a stack trace, unless <c>TASKGRID_DEBUG=1</c> asks for one.
/// </summary>
internal static class Failures
{
    public static int Report(Exception exception, CliSession session, CancellationToken cancellationToken)
    {
        var (code, message) = Describe(exception, session, cancellationToken);
        if (message is not null)
        {
            session.Error.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        }
        if (session.Host.Environment("TASKGRID_DEBUG") is "1" or "true")
        {
            session.Error.WriteLine(exception.ToString());
        }
        return code;
    }

    private static (int Code, string? Message) Describe(Exception exception, CliSession session, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => (ExitCodes.Interrupted, "interrupted."),
        UsageException usage => (ExitCodes.Usage, usage.Message),
        TaskGridApiException api => FromApi(api, session),
        HttpRequestException http => (ExitCodes.Error, Unreachable(http, session)),
        TimeoutException timeout => (ExitCodes.Error, timeout.Message),
        JsonException json => (ExitCodes.Error, $"unexpected answer from the gateway: {json.Message}"),
        _ => (ExitCodes.Error, exception.Message),
    };

    private static (int, string) FromApi(TaskGridApiException api, CliSession session)
    {
        var code = api.StatusCode switch
        {
            HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity => ExitCodes.Usage,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Auth,
            HttpStatusCode.NotFound => ExitCodes.NotFound,
            HttpStatusCode.Conflict => ExitCodes.Conflict,
            _ => ExitCodes.Error,
        };
        var message = api.Detail ?? api.Message;
        if (api.StatusCode == HttpStatusCode.Unauthorized)
        {
            message = session.Connection.ApiKey is null
                ? $"no API key for {session.Connection.Url}: pass --api-key, set TASKGRID_API_KEY, or run 'taskgrid login'."
                : $"the API key from {session.Connection.KeySource} was refused: {message}";
        }
        else if (api.StatusCode == HttpStatusCode.TooManyRequests && api.RetryAfter is { } wait)
        {
            message += $" (retry after {wait.TotalSeconds:0} s)";
        }
        return (code, message);
    }

    private static string Unreachable(HttpRequestException exception, CliSession session)
    {
        var why = exception.InnerException?.Message ?? exception.Message;
        return $"cannot reach the TaskGrid gateway at {session.Connection.Url} ({why}). Is it running? './taskgrid up' starts a local one; --url or TASKGRID_URL points elsewhere.";
    }
}
