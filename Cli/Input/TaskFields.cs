using System.Text.Json;
using TaskGrid.Serialization;
using TaskGrid.Tasks;

namespace TaskGrid.Cli.Input;

/// <summary>
/// The fields of a task as the API spells them, read from the contract itself
/// (<see cref="SubmitTaskRequest"/> under <see cref="TaskGridJson.Options"/>), so that files use
/// exactly the API's names and a new field needs no change here.
/// </summary>
internal static class TaskFields
{
    private static readonly Lazy<IReadOnlyDictionary<string, Type>> s_fields = new(() =>
        TaskGridJson.Options.GetTypeInfo(typeof(SubmitTaskRequest)).Properties
            .Where(p => p.Set is not null)
            .ToDictionary(p => p.Name, p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType, StringComparer.Ordinal));

    /// <summary>Field name → its type (nullable unwrapped).</summary>
    public static IReadOnlyDictionary<string, Type> All => s_fields.Value;

    /// <summary>The names, for messages.</summary>
    public static string Names => string.Join(", ", All.Keys);

    /// <summary>Turns a <see cref="JsonException"/> about a task into words that name the field.</summary>
    public static string Describe(JsonException exception)
    {
        var field = FieldOf(exception.Path);
        if (exception.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return $"'{field}' is not a task field (fields: {Names}).";
        }
        if (field is not null && exception.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"'{field}' has the wrong type: {Expected(field)}.";
        }
        var message = exception.Message;
        foreach (var marker in new[] { " Path:", " LineNumber:", " | " })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at > 0)
            {
                message = message[..at];
            }
        }
        return $"not valid JSON: {message.Trim()}";
    }

    private static string? FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var end = field.IndexOfAny(['.', '[']);
        return end > 0 ? field[..end] : field;
    }

    private static string Expected(string field) =>
        All.TryGetValue(field, out var type) switch
        {
            false => "see the API's task fields",
            true when type == typeof(int) => "it must be a whole number",
            true when type == typeof(string) => "it must be a string",
            true when typeof(IReadOnlyDictionary<string, string>).IsAssignableFrom(type) => "it must be an object of string values",
            true when typeof(IEnumerable<string>).IsAssignableFrom(type) => "it must be an array of strings",
            _ => "see the API's task fields",
        };
}
