using System.Globalization;
using System.Net;
using System.Text;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// One generated request. Header values may name keys as placeholders (<c>{admin}</c>,
/// <c>{user}</c>, <c>{revoked}</c>, ...), filled in when it is sent, so that a printed
/// request shows which key it used without showing the key.
/// </summary>
/// <param name="Route">The route it targets (<c>POST /v1/tasks</c>).</param>
/// <param name="Case">What is hostile about it.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">Path and query, already encoded.</param>
/// <param name="Headers">Request headers, with key placeholders.</param>
/// <param name="Body">The body bytes, or null for none.</param>
/// <param name="ContentType">The Content-Type header, verbatim, or null for none.</param>
/// <param name="Unsized">Send the body without a Content-Length (streamed).</param>
/// <param name="Expected">The acceptable statuses, when the case has them (401 for a bad key, 413 for an oversized body).</param>
public sealed record HostileRequest(
    string Route,
    string Case,
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body = null,
    string? ContentType = null,
    bool Unsized = false,
    IReadOnlyList<int>? Expected = null)
{
    public HttpRequestMessage ToMessage(IReadOnlyDictionary<string, string> keys)
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Path);
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, Fill(value, keys));
        }
        if (Body is not null)
        {
            HttpContent content = Unsized ? new UnsizedContent(Body) : new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
            message.Content = content;
        }
        return message;
    }

    /// <summary>The request as a reader needs it to reproduce a failure: keys stay placeholders, bodies are cut short.</summary>
    public string Describe()
    {
        var text = new StringBuilder($"[{Case}] {Method} {Shorten(Path, 300)}");
        foreach (var (name, value) in Headers)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n    {name}: {Shorten(value, 120)}");
        }
        if (ContentType is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n    Content-Type: {ContentType}");
        }
        if (Body is not null)
        {
            var preview = Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 400));
            text.Append(CultureInfo.InvariantCulture, $"\n    body ({Body.Length} bytes{(Unsized ? ", streamed without Content-Length" : "")}): {Escape(preview)}{(Body.Length > 400 ? "…" : "")}");
        }
        return text.ToString();
    }

    private static string Fill(string value, IReadOnlyDictionary<string, string> keys)
    {
        foreach (var (placeholder, key) in keys)
        {
            value = value.Replace(placeholder, key, StringComparison.Ordinal);
        }
        return value;
    }

    private static string Shorten(string value, int max) => Escape(value.Length <= max ? value : string.Concat(value.AsSpan(0, max), "…"));

    private static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString());
        }
        return text.ToString();
    }

    /// <summary>A body without a known length, so the client streams it (chunked) and sends no Content-Length.</summary>
    private sealed class UnsizedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
