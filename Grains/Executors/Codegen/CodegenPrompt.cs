using OpenAI.Chat;

namespace TaskGrid.Grains.Executors.Codegen;

/// <summary>The messages a codegen task sends.</summary>
internal static class CodegenPrompt
{
    public static ChatMessage[] For(string objective, string language) =>
    [
        new SystemChatMessage(
            $"You are a careful senior software engineer. Write complete, working {language} code for the user's objective. " +
            $"Answer with exactly one fenced code block (```{language.ToLowerInvariant()}) and nothing else."),
        new UserChatMessage(objective),
    ];
}
