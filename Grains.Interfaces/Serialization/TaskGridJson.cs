using System.Text.Json;
using System.Text.Json.Serialization;

namespace TaskGrid.Serialization;

/// <summary>
/// The JSON of TaskGrid's API, shared by the gateway and the client SDK: snake_case names,
/// enums as lower-case strings, and unknown fields refused (a misspelt field is an error the
/// caller should see, not a silently ignored setting).
/// </summary>
public static class TaskGridJson
{
    /// <summary>Ready-made options with the API's conventions.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Applies the API's conventions to <paramref name="options"/>.</summary>
    /// <param name="options">The options to change.</param>
    /// <param name="maxDepth">Deepest nesting accepted. Default: 32.</param>
    public static void Configure(JsonSerializerOptions options, int maxDepth = 32)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowTrailingCommas = false;
        options.ReadCommentHandling = JsonCommentHandling.Disallow;
        options.MaxDepth = maxDepth;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        // A read-only instance needs its resolver fixed now: the reflection-based default.
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
