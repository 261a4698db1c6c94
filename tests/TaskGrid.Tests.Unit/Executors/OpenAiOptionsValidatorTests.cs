using TaskGrid.Grains.Executors.Codegen;

namespace TaskGrid.Tests.Unit.Executors;

public sealed class OpenAiOptionsValidatorTests
{
    private static readonly OpenAiOptionsValidator s_validator = new();

    [Fact]
    public void An_unconfigured_endpoint_is_allowed_and_reported_as_not_configured()
    {
        var options = new OpenAiOptions();
        Assert.True(s_validator.Validate(null, options).Succeeded);
        Assert.False(options.IsConfigured);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8000/v1", null)]
    [InlineData("https://api.example.com/v1", "key")]
    [InlineData(null, "key")]
    public void A_key_or_a_base_url_configures_codegen(string? baseUrl, string? key)
    {
        var options = new OpenAiOptions { BaseUrl = baseUrl, ApiKey = key };
        Assert.True(s_validator.Validate(null, options).Succeeded);
        Assert.True(options.IsConfigured);
    }

    [Theory]
    [InlineData("ftp://example.com/v1")]
    [InlineData("not a url")]
    [InlineData("/v1")]
    public void A_base_url_that_is_not_http_names_the_setting(string baseUrl)
    {
        var result = s_validator.Validate(null, new OpenAiOptions { BaseUrl = baseUrl });
        Assert.True(result.Failed);
        Assert.Contains("OPENAI_BASE_URL", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_timeout_and_token_limit_are_checked()
    {
        var result = s_validator.Validate(null, new OpenAiOptions { Model = " ", RequestTimeout = TimeSpan.Zero, MaxOutputTokens = 0 });
        Assert.Equal(3, result.Failures!.Count());
        Assert.Contains("Model", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("RequestTimeout", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("MaxOutputTokens", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_api_key_never_appears_in_a_failure()
    {
        var result = s_validator.Validate(null, new OpenAiOptions { ApiKey = "sk-secret-123", BaseUrl = "ftp://x", Model = "" });
        Assert.True(result.Failed);
        Assert.DoesNotContain("sk-secret-123", result.FailureMessage, StringComparison.Ordinal);
    }
}
