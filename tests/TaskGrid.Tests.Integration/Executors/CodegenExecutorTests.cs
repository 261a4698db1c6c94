using TaskGrid.Grains.Executors;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Integration.Executors;

/// <summary>The real OpenAI client against the loopback OpenAI-compatible server.</summary>
public sealed class CodegenExecutorTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private FakeOpenAiServer _openAi = null!;

    public async Task InitializeAsync() => _openAi = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _openAi.DisposeAsync();

    private ITaskExecutor Executor(string requestTimeout = "00:00:30") => ExecutorHarness.Services(database, new Dictionary<string, string?>
    {
        ["TaskGrid:OpenAI:BaseUrl"] = _openAi.BaseUrl,
        ["TaskGrid:OpenAI:ApiKey"] = "test-key",
        ["TaskGrid:OpenAI:Model"] = "fake-model-1",
        ["TaskGrid:OpenAI:RequestTimeout"] = requestTimeout,
    }).Executor("codegen");

    [Fact]
    public async Task A_successful_answer_yields_the_fenced_code_and_the_token_usage()
    {
        var outcome = await Executor().ExecuteAsync(ExecutorHarness.Codegen("reverse a string", "python"), CancellationToken.None);

        var success = Assert.IsType<ExecutionOutcome.Succeeded>(outcome);
        Assert.Equal(FakeOpenAiServer.ExpectedCode("reverse a string", "python"), success.Code);
        Assert.NotNull(success.Usage);
        Assert.Equal(("fake-model-1", 20, 30, 50), (success.Usage.Model, success.Usage.PromptTokens, success.Usage.CompletionTokens, success.Usage.TotalTokens));
        Assert.Equal(1, _openAi.Calls);
    }

    [Fact]
    public async Task A_rate_limit_is_a_retryable_failure_that_carries_retry_after()
    {
        _openAi.FailNext(FakeFault.RateLimited(retryAfterSeconds: 17));
        var outcome = await Executor().ExecuteAsync(ExecutorHarness.Codegen("x", "go"), CancellationToken.None);

        var failure = Assert.IsType<ExecutionOutcome.Failed>(outcome);
        Assert.True(failure.Retryable);
        Assert.Equal(TimeSpan.FromSeconds(17), failure.RetryAfter);
        Assert.Contains("429", failure.Error, StringComparison.Ordinal);
        Assert.Equal(1, _openAi.Calls);
    }

    [Fact]
    public async Task A_server_error_is_retryable()
    {
        _openAi.FailNext(FakeFault.ServerError());
        var failure = Assert.IsType<ExecutionOutcome.Failed>(await Executor().ExecuteAsync(ExecutorHarness.Codegen("x", "go"), CancellationToken.None));
        Assert.True(failure.Retryable);
        Assert.Contains("HTTP 500", failure.Error, StringComparison.Ordinal);
        Assert.Equal(1, _openAi.Calls);
    }

    [Fact]
    public async Task A_bad_request_is_not_retryable_and_says_why()
    {
        _openAi.FailNext(new FakeFault.Status(400, "Unsupported value: 'temperature'"));
        var failure = Assert.IsType<ExecutionOutcome.Failed>(await Executor().ExecuteAsync(ExecutorHarness.Codegen("x", "go"), CancellationToken.None));
        Assert.False(failure.Retryable);
        Assert.Contains("HTTP 400", failure.Error, StringComparison.Ordinal);
        Assert.Contains("Unsupported value: 'temperature'", failure.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hanging_endpoint_times_out_as_a_retryable_failure()
    {
        _openAi.FailNext(new FakeFault.Hang());
        var failure = Assert.IsType<ExecutionOutcome.Failed>(await Executor(requestTimeout: "00:00:01").ExecuteAsync(ExecutorHarness.Codegen("x", "go"), CancellationToken.None));
        Assert.True(failure.Retryable);
        Assert.Contains("no answer within 1 s", failure.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tasks_own_timeout_applies_when_shorter()
    {
        _openAi.FailNext(new FakeFault.Hang());
        var task = ExecutorHarness.Codegen("x", "go", timeout: TimeSpan.FromSeconds(1));
        var failure = Assert.IsType<ExecutionOutcome.Failed>(await Executor(requestTimeout: "00:10:00").ExecuteAsync(task, CancellationToken.None));
        Assert.True(failure.Retryable);
        Assert.Contains("no answer within 1 s", failure.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_the_attempt_stops_the_call_instead_of_reporting_a_failure()
    {
        _openAi.FailNext(new FakeFault.Hang());
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Executor().ExecuteAsync(ExecutorHarness.Codegen("x", "go"), cancellation.Token));
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_retryable()
    {
        var port = FreePort.Next();
        var executor = ExecutorHarness.Services(database, new Dictionary<string, string?>
        {
            ["TaskGrid:OpenAI:BaseUrl"] = $"http://127.0.0.1:{port}/v1",
        }).Executor("codegen");
        var failure = Assert.IsType<ExecutionOutcome.Failed>(await executor.ExecuteAsync(ExecutorHarness.Codegen("x", "go"), CancellationToken.None));
        Assert.True(failure.Retryable);
    }

    [Fact]
    public async Task Without_an_endpoint_codegen_fails_for_good_naming_the_setting()
    {
        var executor = ExecutorHarness.Services(database, new Dictionary<string, string?>()).Executor("codegen");
        var failure = Assert.IsType<ExecutionOutcome.Failed>(await executor.ExecuteAsync(ExecutorHarness.Codegen("x", "go"), CancellationToken.None));
        Assert.False(failure.Retryable);
        Assert.Contains("OPENAI_API_KEY", failure.Error, StringComparison.Ordinal);
        Assert.Equal(0, _openAi.Calls);
    }

    [Fact]
    public async Task A_task_without_objective_or_language_fails_for_good()
    {
        var failure = Assert.IsType<ExecutionOutcome.Failed>(await Executor().ExecuteAsync(ExecutorHarness.Codegen(" ", "go"), CancellationToken.None));
        Assert.False(failure.Retryable);
        Assert.Equal(0, _openAi.Calls);
    }

    [Fact]
    public async Task An_answer_without_a_fence_is_taken_as_the_code()
    {
        _openAi.Answer = (_, _) => "  print('bare')\n";
        var success = Assert.IsType<ExecutionOutcome.Succeeded>(await Executor().ExecuteAsync(ExecutorHarness.Codegen("x", "python"), CancellationToken.None));
        Assert.Equal("print('bare')", success.Code);
    }

    [Fact]
    public async Task An_empty_answer_is_retryable()
    {
        _openAi.Answer = (_, _) => "";
        var failure = Assert.IsType<ExecutionOutcome.Failed>(await Executor().ExecuteAsync(ExecutorHarness.Codegen("x", "python"), CancellationToken.None));
        Assert.True(failure.Retryable);
    }
}
