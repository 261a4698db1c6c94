using Microsoft.Extensions.Options;

namespace TaskGrid.Grains.Executors.Codegen;

/// <summary>
/// Checks the codegen settings that are present. An absent endpoint is allowed (a silo may run
/// only scripts); codegen tasks then fail with a message naming the setting.
/// </summary>
internal sealed class OpenAiOptionsValidator : IValidateOptions<OpenAiOptions>
{
    public ValidateOptionsResult Validate(string? name, OpenAiOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.BaseUrl)
            && (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            failures.Add($"OPENAI_BASE_URL (TaskGrid:OpenAI:BaseUrl) must be an http(s) URL such as http://127.0.0.1:8000/v1; got '{options.BaseUrl}'.");
        }
        if (string.IsNullOrWhiteSpace(options.Model))
        {
            failures.Add("TaskGrid:OpenAI:Model (or OPENAI_MODEL) must name a model.");
        }
        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"TaskGrid:OpenAI:RequestTimeout must be positive; got {options.RequestTimeout}.");
        }
        if (options.MaxOutputTokens < 1)
        {
            failures.Add($"TaskGrid:OpenAI:MaxOutputTokens must be at least 1; got {options.MaxOutputTokens}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
