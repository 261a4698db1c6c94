using System.Net.Http.Json;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Polly;
using Polly.Timeout;
using TaskGrid.Client.Http;
using TaskGrid.Paging;
using TaskGrid.Serialization;

namespace TaskGrid.Client;

/// <summary>
/// A typed client of the TaskGrid gateway's <c>/v1</c> API. It speaks the gateway's own request
/// and response records (<see cref="Tasks.TaskView"/>, <see cref="Grids.GridView"/>, ...) with the
/// gateway's JSON conventions. Errors surface as <see cref="TaskGridApiException"/>; transient
/// failures are retried as <see cref="TaskGridClientOptions.MaxRetries"/> describes; lists page
/// through the gateway's cursors as <see cref="IAsyncEnumerable{T}"/>. Thread-safe: share one
/// instance.
/// </summary>
/// <example>
/// <code>
/// using var client = new TaskGridClient(new TaskGridClientOptions
/// {
///     BaseAddress = new Uri("http://127.0.0.1:8080"),
///     ApiKey = Environment.GetEnvironmentVariable("TASKGRID_API_KEY"),
/// });
/// var task = await client.SubmitTaskAsync(new SubmitTaskRequest { Objective = "Reverse a string", Language = "python" });
/// var done = await client.WaitForTaskAsync(task.Id);
/// Console.WriteLine(done.Code);
/// </code>
/// </example>
public sealed partial class TaskGridClient : IDisposable
{
    private static readonly string s_userAgent = "TaskGrid.Client/" +
        (typeof(TaskGridClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string? _apiKey;
    private readonly TimeSpan _timeout;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>Creates a client with its own connection pool.</summary>
    /// <param name="options">Where the gateway is and how to call it; <see cref="TaskGridClientOptions.BaseAddress"/> is required.</param>
    public TaskGridClient(TaskGridClientOptions options)
        : this(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan }, options, ownsHttp: true)
    {
    }

    /// <summary>
    /// Creates a client over an <see cref="HttpClient"/> that the caller owns, for example one
    /// from <c>IHttpClientFactory</c>. The client is not changed: the API key is sent per request.
    /// </summary>
    /// <param name="httpClient">The HTTP client to send with. Its <see cref="HttpClient.BaseAddress"/> is used when <paramref name="options"/> has none.</param>
    /// <param name="options">Where the gateway is and how to call it. Default: the HTTP client's base address, no API key, default limits.</param>
    public TaskGridClient(HttpClient httpClient, TaskGridClientOptions? options = null)
        : this(httpClient, options ?? new TaskGridClientOptions(), ownsHttp: false)
    {
    }

    private TaskGridClient(HttpClient httpClient, TaskGridClientOptions options, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _http = httpClient;
        _ownsHttp = ownsHttp;
        try
        {
            var baseAddress = options.BaseAddress ?? httpClient.BaseAddress
                ?? throw new ArgumentException("TaskGridClientOptions.BaseAddress is required (for example http://127.0.0.1:8080).", nameof(options));
            if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"The gateway address must be an absolute http:// or https:// URL; got '{baseAddress}'.", nameof(options));
            }
            if (options.Timeout <= TimeSpan.Zero)
            {
                throw new ArgumentException($"TaskGridClientOptions.Timeout must be positive; got {options.Timeout}.", nameof(options));
            }
            if (options.MaxRetries < 0)
            {
                throw new ArgumentException($"TaskGridClientOptions.MaxRetries must be 0 or more; got {options.MaxRetries}.", nameof(options));
            }
            // "http://host/taskgrid" and "http://host/taskgrid/" both mean the folder.
            BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
            _apiKey = options.ApiKey;
            _timeout = options.Timeout;
            _pipeline = TransientFailures.CreatePipeline(options);
        }
        catch
        {
            if (ownsHttp)
            {
                httpClient.Dispose();
            }
            throw;
        }
    }

    /// <summary>The gateway's address, ending in <c>/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Releases the connection pool when the client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(new ApiRequest(HttpMethod.Get, path), cancellationToken);

    private Task<T> PostAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(new ApiRequest(HttpMethod.Post, path), cancellationToken);

    private Task<T> SendJsonAsync<T, TBody>(HttpMethod method, string path, TBody body, CancellationToken cancellationToken) =>
        SendAsync<T>(new ApiRequest(method, path, JsonSerializer.SerializeToUtf8Bytes(body, TaskGridJson.Options)), cancellationToken);

    private async Task<T> SendAsync<T>(ApiRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode && (int)response.StatusCode != request.AlsoReadable)
        {
            throw await ProblemReader.ReadAsync(response, cancellationToken);
        }
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(TaskGridJson.Options, cancellationToken)
                ?? throw new TaskGridApiException(response.StatusCode, "Unexpected answer", $"{request} answered with an empty body.");
        }
        catch (JsonException ex)
        {
            throw new TaskGridApiException(
                $"{request} answered {(int)response.StatusCode} with a body this client cannot read ({ex.Message}). Is {BaseAddress} a TaskGrid gateway of a matching version?", ex);
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(TransientFailures.RequestKey, request);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (context, state) =>
                {
                    using var message = state.Request.ToMessage(state.Client.BaseAddress, state.Client._apiKey);
                    message.Headers.UserAgent.ParseAdd(s_userAgent);
                    return await state.Client._http.SendAsync(message, HttpCompletionOption.ResponseContentRead, context.CancellationToken);
                },
                context,
                (Client: this, Request: request));
        }
        catch (TimeoutRejectedException ex)
        {
            throw new TimeoutException($"{request} got no answer from {BaseAddress} within {_timeout.TotalSeconds:0.#} s.", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static async IAsyncEnumerable<T> PageThroughAsync<T>(
        string? firstCursor,
        Func<string?, CancellationToken, Task<Page<T>>> fetchPage,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = firstCursor;
        do
        {
            var page = await fetchPage(cursor, cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }
            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
