using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskGrid.Testing;

/// <summary>
/// A small OpenAI-compatible chat completions server on loopback: the only fake in the suite,
/// standing in for a paid outside service. The real <c>OpenAI</c> client is pointed at
/// <see cref="BaseUrl"/>. It answers after <see cref="Latency"/> with a fenced code block built
/// from the request, and can be told to answer 429, 5xx, 4xx or hang.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeFault> _faults = new();
    private readonly ConcurrentQueue<DateTimeOffset> _callTimes = new();
    private int _calls;

    private FakeOpenAiServer(WebApplication app) => _app = app;

    /// <summary>The base URL to give the client, ending in <c>/v1</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>How long each answer takes.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>A fault every call gets when no queued fault is left; null answers normally.</summary>
    public FakeFault? PersistentFault { get; set; }

    /// <summary>Builds the answer text from objective and language.</summary>
    public Func<string, string, string> Answer { get; set; } = DefaultAnswer;

    /// <summary>Requests received.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>When each request arrived.</summary>
    public IReadOnlyCollection<DateTimeOffset> CallTimes => _callTimes;

    /// <summary>The code <see cref="DefaultAnswer"/> puts in its fenced block, so tests know what to expect.</summary>
    public static string ExpectedCode(string objective, string language) => $"# {language}: {objective}\nprint(\"done\")";

    /// <summary>Queues faults for the next calls, in order.</summary>
    public void FailNext(params FakeFault[] faults)
    {
        foreach (var fault in faults)
        {
            _faults.Enqueue(fault);
        }
    }

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<FakeOpenAiServer> StartAsync(TimeSpan? latency = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeOpenAiServer(app) { Latency = latency ?? TimeSpan.Zero };
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/') + "/v1";
        return server;
    }

    private static string DefaultAnswer(string objective, string language) =>
        $"Here is the code:\n\n```{language}\n{ExpectedCode(objective, language)}\n```\n";

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _calls);
        _callTimes.Enqueue(DateTimeOffset.UtcNow);
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var fault = _faults.TryDequeue(out var queued) ? queued : PersistentFault;
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, context.RequestAborted);
        }
        switch (fault)
        {
            case FakeFault.Hang:
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                return;
            case FakeFault.Status status:
                context.Response.StatusCode = status.Code;
                if (status.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                await context.Response.WriteAsJsonAsync(new { error = new { message = status.Message, type = "fake_error", code = status.Code } });
                return;
        }

        var messages = body?["messages"]?.AsArray() ?? [];
        var system = messages.FirstOrDefault(m => m?["role"]?.GetValue<string>() == "system")?["content"]?.GetValue<string>() ?? "";
        var objective = messages.LastOrDefault(m => m?["role"]?.GetValue<string>() == "user")?["content"]?.GetValue<string>() ?? "";
        var language = LanguageOf(system);
        var answer = Answer(objective, language);
        var response = new JsonObject
        {
            ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N"),
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = body?["model"]?.GetValue<string>() ?? "fake-model",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 20, ["completion_tokens"] = 30, ["total_tokens"] = 50 },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.ToJsonString(), context.RequestAborted);
    }

    // The codegen prompt says "Write complete, working {language} code".
    private static string LanguageOf(string systemPrompt)
    {
        const string marker = "working ";
        var start = systemPrompt.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return "text";
        }
        start += marker.Length;
        var end = systemPrompt.IndexOf(" code", start, StringComparison.Ordinal);
        return end < 0 ? "text" : systemPrompt[start..end];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>How the fake server misbehaves on a call.</summary>
public abstract record FakeFault
{
    private FakeFault()
    {
    }

    /// <summary>Never answers (until the client gives up).</summary>
    public sealed record Hang : FakeFault;

    /// <summary>Answers with an HTTP error.</summary>
    /// <param name="Code">The status code.</param>
    /// <param name="Message">The error message.</param>
    /// <param name="RetryAfterSeconds">A Retry-After header, if any.</param>
    public sealed record Status(int Code, string Message = "fake failure", int? RetryAfterSeconds = null) : FakeFault;

    /// <summary>A 429 with Retry-After.</summary>
    public static FakeFault RateLimited(int retryAfterSeconds) => new Status(429, "Rate limit reached", retryAfterSeconds);

    /// <summary>A 500.</summary>
    public static FakeFault ServerError() => new Status(500, "The server had an error");
}
