namespace TaskGrid.Client;

/// <summary>Where the gateway is, how to authenticate, and how patiently to call it.</summary>
public sealed class TaskGridClientOptions
{
    /// <summary>
    /// The gateway's address, for example <c>http://127.0.0.1:8080</c>. A path is kept
    /// (<c>https://example.com/taskgrid/</c> calls <c>https://example.com/taskgrid/v1/...</c>).
    /// Default: none; required unless the <see cref="HttpClient"/> given to the client has a
    /// <see cref="HttpClient.BaseAddress"/>.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The API key sent as <c>Authorization: Bearer &lt;key&gt;</c>. Default: none (only <c>/v1/status</c> works without one).</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one attempt of a call may take, including reading the answer. Default: 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many times a call is retried after a transient failure: a network error, 502, 503,
    /// 504, or 429 with <c>Retry-After</c>. Reads (GET) retry on all of them; other methods only
    /// when the request certainly did not reach the server. 0 turns retries off. Default: 3.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; later ones double, with jitter. Default: 500 milliseconds.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest wait between attempts. A <c>Retry-After</c> longer than this is not waited
    /// for: the call fails with the 429 or 503 instead. Default: 30 seconds.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
