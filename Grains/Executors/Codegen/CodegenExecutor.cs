using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;
using TaskGrid.Grains.Diagnostics;
using TaskGrid.Grains.Logs;
using TaskGrid.Tasks;
using TaskGrid.Workers;

namespace TaskGrid.Grains.Executors.Codegen;

/// <summary>
/// Objective and language in, code out, through the official OpenAI client against any
/// OpenAI-compatible endpoint. The client's own retries are off: TaskGrid retries the task
/// (with backoff, honouring Retry-After) so that every attempt shows in the task's history.
/// </summary>
internal sealed partial class CodegenExecutor : ITaskExecutor
{
    private readonly OpenAiOptions _options;
    private readonly ChatClient? _client;
    private readonly TaskGridMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ITaskLog _log;
    private readonly ILogger<CodegenExecutor> _logger;

    public CodegenExecutor(IOptions<OpenAiOptions> options, TaskGridMetrics metrics, TimeProvider time, ITaskLog log, ILogger<CodegenExecutor> logger)
    {
        _options = options.Value;
        _log = log;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        if (_options.IsConfigured)
        {
            var clientOptions = new OpenAIClientOptions
            {
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                // Our own timeout (below) decides; this only stops the transport from giving up first.
                NetworkTimeout = _options.RequestTimeout + TimeSpan.FromSeconds(5),
            };
            if (!string.IsNullOrWhiteSpace(_options.BaseUrl))
            {
                clientOptions.Endpoint = new Uri(_options.BaseUrl);
            }
            // Local OpenAI-compatible servers often need no key; the client insists on one.
            var key = string.IsNullOrWhiteSpace(_options.ApiKey) ? "unused" : _options.ApiKey;
            _client = new ChatClient(_options.Model, new ApiKeyCredential(key), clientOptions);
        }
    }

    public string Kind => TaskKinds.Codegen;

    private string Endpoint => string.IsNullOrWhiteSpace(_options.BaseUrl) ? "api.openai.com" : _options.BaseUrl;

    public async Task<ExecutionOutcome> ExecuteAsync(ClaimedTask task, CancellationToken cancellationToken)
    {
        if (_client is null)
        {
            return new ExecutionOutcome.Failed(
                "Codegen is not configured on this silo: set OPENAI_API_KEY, and OPENAI_BASE_URL for any OpenAI-compatible server " +
                "other than api.openai.com (or TaskGrid__OpenAI__ApiKey / TaskGrid__OpenAI__BaseUrl), then retry the task.",
                Retryable: false);
        }
        if (string.IsNullOrWhiteSpace(task.Objective) || string.IsNullOrWhiteSpace(task.Language))
        {
            return new ExecutionOutcome.Failed("A codegen task needs both an objective and a language.", Retryable: false);
        }

        var timeout = task.Timeout is { } own && own < _options.RequestTimeout ? own : _options.RequestTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        _metrics.OpenAiCalls.Add(1, new KeyValuePair<string, object?>("model", _options.Model));
        _log.System(task, $"Calling {Endpoint} (model {_options.Model}, timeout {timeout.TotalSeconds:0.#} s).");
        try
        {
            var chatOptions = new ChatCompletionOptions { Temperature = _options.Temperature, MaxOutputTokenCount = _options.MaxOutputTokens };
            ChatCompletion completion = await _client.CompleteChatAsync(CodegenPrompt.For(task.Objective, task.Language), chatOptions, deadline.Token);
            var answer = string.Concat(completion.Content.Where(part => part.Kind == ChatMessageContentPartKind.Text).Select(part => part.Text));
            var usage = new TaskUsage(
                completion.Model ?? _options.Model,
                completion.Usage?.InputTokenCount ?? 0,
                completion.Usage?.OutputTokenCount ?? 0,
                completion.Usage?.TotalTokenCount ?? 0);
            _metrics.OpenAiTokens.Add(usage.PromptTokens, new KeyValuePair<string, object?>("direction", "input"));
            _metrics.OpenAiTokens.Add(usage.CompletionTokens, new KeyValuePair<string, object?>("direction", "output"));
            _log.System(task, $"{usage.Model} answered ({completion.FinishReason}): {usage.PromptTokens} prompt + {usage.CompletionTokens} completion tokens.");
            if (string.IsNullOrWhiteSpace(answer))
            {
                return new ExecutionOutcome.Failed($"The model answered with no text (finish reason: {completion.FinishReason}).", Retryable: true);
            }
            return new ExecutionOutcome.Succeeded(Code: CodeFence.Extract(answer), Usage: usage);
        }
        catch (ClientResultException ex)
        {
            _metrics.OpenAiErrors.Add(1, new KeyValuePair<string, object?>("status", ex.Status));
            return Classify(ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _metrics.OpenAiErrors.Add(1, new KeyValuePair<string, object?>("status", "timeout"));
            return new ExecutionOutcome.Failed($"{Endpoint} gave no answer within {timeout.TotalSeconds:0.#} s.", Retryable: true);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            _metrics.OpenAiErrors.Add(1, new KeyValuePair<string, object?>("status", "unreachable"));
            return new ExecutionOutcome.Failed($"Could not reach {Endpoint}: {ex.Message}", Retryable: true);
        }
    }

    private ExecutionOutcome.Failed Classify(ClientResultException ex)
    {
        var status = ex.Status;
        var message = Shorten(ex.Message);
        LogCallFailed(status, Endpoint);
        return status switch
        {
            0 => new ExecutionOutcome.Failed($"Could not reach {Endpoint}: {message}", Retryable: true),
            429 => new ExecutionOutcome.Failed($"{Endpoint} is rate limiting (HTTP 429): {message}", Retryable: true,
                RetryAfter: RetryAfterHeader.Read(ex.GetRawResponse(), _time.GetUtcNow())),
            408 or >= 500 => new ExecutionOutcome.Failed($"{Endpoint} failed (HTTP {status}): {message}", Retryable: true,
                RetryAfter: RetryAfterHeader.Read(ex.GetRawResponse(), _time.GetUtcNow())),
            _ => new ExecutionOutcome.Failed($"{Endpoint} refused the request (HTTP {status}): {message}", Retryable: false),
        };
    }

    private static string Shorten(string message) => message.Length <= 1000 ? message : string.Concat(message.AsSpan(0, 1000), "…");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat completion failed with HTTP {Status} from {Endpoint}")]
    private partial void LogCallFailed(int status, string endpoint);
}
