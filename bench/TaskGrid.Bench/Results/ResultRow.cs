using System.Text.Json;
using System.Text.Json.Serialization;

namespace TaskGrid.Bench.Results;

/// <summary>
/// One measurement: a system on a workload in one setting. The named figures are the ones every
/// row has (null where the workload has no such figure, for example latency in a footprint row);
/// <see cref="Extra"/> holds the rest (sizes, configuration, secondary figures) and is written
/// inline beside them.
/// </summary>
internal sealed record ResultRow
{
    public required string System { get; init; }

    public required string Workload { get; init; }

    public required string Setting { get; init; }

    public double? JobsPerS { get; init; }

    public double? P50Ms { get; init; }

    public double? P95Ms { get; init; }

    public double? P99Ms { get; init; }

    [JsonExtensionData]
    public Dictionary<string, object?> Extra { get; init; } = [];

    /// <summary>A number from <see cref="Extra"/>, or null when absent or not a number.</summary>
    public double? Number(string key) => Extra.TryGetValue(key, out var value) ? value switch
    {
        double d => d,
        int i => i,
        long l => l,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        _ => null,
    } : null;

    /// <summary>A flag from <see cref="Extra"/>; false when absent.</summary>
    public bool Flag(string key) => Extra.GetValueOrDefault(key) is true or JsonElement { ValueKind: JsonValueKind.True };

    /// <summary>A list of numbers from <see cref="Extra"/> (null where an element is not one); empty when absent.</summary>
    public IReadOnlyList<double?> Numbers(string key) => Extra.GetValueOrDefault(key) switch
    {
        IEnumerable<double?> values => [.. values],
        JsonElement { ValueKind: JsonValueKind.Array } array =>
            [.. array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null)],
        _ => [],
    };

    /// <summary>A list of strings from <see cref="Extra"/> (null where an element is not one); empty when absent.</summary>
    public IReadOnlyList<string?> Texts(string key) => Extra.GetValueOrDefault(key) switch
    {
        IEnumerable<string?> values => [.. values],
        JsonElement { ValueKind: JsonValueKind.Array } array =>
            [.. array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : null)],
        _ => [],
    };

    /// <summary>A string from <see cref="Extra"/>, or null.</summary>
    public string? Text(string key) => Extra.TryGetValue(key, out var value) ? value switch
    {
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        _ => null,
    } : null;
}
