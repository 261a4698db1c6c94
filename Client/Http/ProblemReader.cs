using System.Net;
using System.Text.Json;

namespace TaskGrid.Client.Http;

/// <summary>
/// Reads an error answer into a <see cref="TaskGridApiException"/>: an RFC 9457 problem with
/// <c>title</c>, <c>detail</c> and <c>errors</c> from the gateway, or whatever text a proxy in
/// between sent.
/// </summary>
internal static class ProblemReader
{
    private const int MaxTextLength = 500;

    public static async Task<TaskGridApiException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var retryAfter = TransientFailures.RetryAfter(response);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (TryParseProblem(text, out var title, out var detail, out var errors))
        {
            return new TaskGridApiException(response.StatusCode, title, detail, errors, retryAfter);
        }
        var reason = response.ReasonPhrase ?? response.StatusCode.ToString();
        var body = text.Trim();
        if (body.Length > MaxTextLength)
        {
            body = body[..MaxTextLength] + "…";
        }
        return new TaskGridApiException(response.StatusCode, reason, body.Length > 0 ? body : DefaultDetail(response.StatusCode), null, retryAfter);
    }

    private static bool TryParseProblem(string text, out string? title, out string? detail, out IReadOnlyDictionary<string, IReadOnlyList<string>>? errors)
    {
        title = detail = null;
        errors = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            title = StringOf(root, "title");
            detail = StringOf(root, "detail");
            if (root.TryGetProperty("errors", out var errorsElement) && errorsElement.ValueKind == JsonValueKind.Object)
            {
                var fields = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
                foreach (var field in errorsElement.EnumerateObject())
                {
                    fields[field.Name] = field.Value.ValueKind switch
                    {
                        JsonValueKind.Array => [.. field.Value.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : m.GetRawText())],
                        JsonValueKind.String => [field.Value.GetString()!],
                        _ => [field.Value.GetRawText()],
                    };
                }
                errors = fields;
            }
            return title is not null || detail is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string DefaultDetail(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "The gateway needs a valid API key.",
        HttpStatusCode.Forbidden => "This API key may not do that.",
        HttpStatusCode.NotFound => "Nothing was found at that address; is the URL the gateway's?",
        _ => $"The gateway answered {(int)status} with no explanation.",
    };
}
