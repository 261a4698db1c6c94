using System.Net.Http.Headers;

namespace TaskGrid.Client.Http;

/// <summary>
/// One call to the gateway, rebuilt as a fresh <see cref="HttpRequestMessage"/> for every
/// attempt (a message cannot be sent twice). The body is serialized once, up front.
/// </summary>
internal sealed record ApiRequest(HttpMethod Method, string Path, byte[]? Body = null)
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json") { CharSet = "utf-8" };

    /// <summary>
    /// Whether repeating the call cannot change the outcome. Only reads are: every POST, PATCH
    /// and DELETE of this API creates something or moves a state, and a repeat would create a
    /// duplicate or answer 409.
    /// </summary>
    public bool IsIdempotent => Method == HttpMethod.Get || Method == HttpMethod.Head;

    /// <summary>A status that is an answer rather than an error for this call (<c>/v1/status</c> answers 503 with a body).</summary>
    public int? AlsoReadable { get; init; }

    public HttpRequestMessage ToMessage(Uri baseAddress, string? apiKey)
    {
        var message = new HttpRequestMessage(Method, new Uri(baseAddress, Path));
        message.Headers.Accept.ParseAdd("application/json");
        message.Headers.Accept.ParseAdd("application/problem+json");
        if (!string.IsNullOrEmpty(apiKey))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body) { Headers = { ContentType = s_json } };
        }
        return message;
    }

    public override string ToString() => $"{Method} /{Path}";
}
