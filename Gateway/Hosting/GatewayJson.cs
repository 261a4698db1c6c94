using System.Text.Json;
using System.Text.Json.Serialization;

namespace TaskGrid.Gateway.Hosting;

/// <summary>
/// The API's JSON: snake_case names, enums as lower-case strings, and unknown fields refused
/// (a misspelt field is an error the caller should see, not a silently ignored setting).
/// </summary>
public static class GatewayJson
{
    /// <summary>Applies the API's conventions to <paramref name="options"/>.</summary>
    public static void Configure(JsonSerializerOptions options, int maxDepth)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowTrailingCommas = false;
        options.ReadCommentHandling = JsonCommentHandling.Disallow;
        options.MaxDepth = maxDepth;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }
}
