namespace TaskGrid.Tasks;

/// <summary>Tokens an OpenAI-compatible endpoint reported for a codegen task's successful attempt.</summary>
/// <param name="Model">The model that answered.</param>
/// <param name="PromptTokens">Input tokens.</param>
/// <param name="CompletionTokens">Output tokens.</param>
/// <param name="TotalTokens">Input plus output tokens.</param>
public sealed record TaskUsage(string Model, int PromptTokens, int CompletionTokens, int TotalTokens);
