namespace TaskGrid.Grains.Executors.Codegen;

/// <summary>The OpenAI-compatible endpoint codegen tasks call. Section <c>TaskGrid:OpenAI</c>.</summary>
public sealed class OpenAiOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:OpenAI";

    /// <summary>
    /// The API base URL including its version path, for example <c>http://127.0.0.1:11434/v1</c>.
    /// Falls back to the <c>OPENAI_BASE_URL</c> environment variable. Default: OpenAI's own API.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>The API key. Falls back to <c>OPENAI_API_KEY</c>. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model to ask. Falls back to <c>OPENAI_MODEL</c>. Default: gpt-4o-mini.</summary>
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>How long one request may take before the attempt fails as timed out (and is retried). Default: 2 minutes.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Sampling temperature. Default: 0.2.</summary>
    public float Temperature { get; set; } = 0.2f;

    /// <summary>
    /// The cluster-wide rate limiter every call takes a permit from (see <c>/v1/limits</c>). The
    /// call waits for a permit when a limiter of this name exists; without one, calls are not
    /// limited. Empty turns limiting off. Default: <c>openai</c>.
    /// </summary>
    public string? RateLimiter { get; set; } = "openai";

    /// <summary>Most tokens one answer may use. Default: 4,096.</summary>
    public int MaxOutputTokens { get; set; } = 4096;

    /// <summary>Whether codegen can run: a key, or a base URL of a server that needs none.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey) || !string.IsNullOrWhiteSpace(BaseUrl);
}
