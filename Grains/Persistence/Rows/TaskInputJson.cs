using System.Text.Json;
using System.Text.Json.Serialization;
using TaskGrid.Tasks;

namespace TaskGrid.Grains.Persistence.Rows;

/// <summary>
/// The <c>tasks.input</c> and <c>tasks.usage</c> jsonb documents: kind-specific input that has no
/// column of its own, and token usage.
/// </summary>
internal static class TaskInputJson
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string? Write(ScriptSpec? script) => script is null ? null : JsonSerializer.Serialize(new InputDocument(script), s_options);

    public static ScriptSpec? ReadScript(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<InputDocument>(json, s_options)?.Script;

    public static string? Write(TaskUsage? usage) => usage is null ? null : JsonSerializer.Serialize(usage, s_options);

    public static TaskUsage? ReadUsage(string? json) => json is null ? null : JsonSerializer.Deserialize<TaskUsage>(json, s_options);

    private sealed record InputDocument(ScriptSpec? Script);
}
