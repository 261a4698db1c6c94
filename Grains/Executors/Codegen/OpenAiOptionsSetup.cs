using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace TaskGrid.Grains.Executors.Codegen;

/// <summary>Reads the conventional <c>OPENAI_*</c> environment variables where configuration is silent.</summary>
internal sealed class OpenAiOptionsSetup(IConfiguration configuration) : IPostConfigureOptions<OpenAiOptions>
{
    public void PostConfigure(string? name, OpenAiOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            options.BaseUrl = configuration["OPENAI_BASE_URL"];
        }
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            options.ApiKey = configuration["OPENAI_API_KEY"];
        }
        if (configuration["OPENAI_MODEL"] is { Length: > 0 } model && configuration[OpenAiOptions.SectionName + ":Model"] is null)
        {
            options.Model = model;
        }
    }
}
