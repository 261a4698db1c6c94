using System.Globalization;

namespace TaskGrid.Tests.Deployment.Support;

/// <summary>
/// A read-only view of parsed YAML (maps, lists, scalars as strings) that tolerates missing
/// paths, so assertions read like the manifest: <c>pod["securityContext"]["runAsNonRoot"]</c>.
/// </summary>
public sealed class Node(object? value)
{
    public static readonly Node Missing = new(null);

    public object? Value { get; } = value;

    public bool Exists => Value is not null;

    public Node this[string key] =>
        Value is IDictionary<object, object> map && map.TryGetValue(key, out var child) ? new Node(child) : Missing;

    public IEnumerable<Node> Items => Value is IList<object> list ? list.Select(item => new Node(item)) : [];

    public IEnumerable<KeyValuePair<string, Node>> Entries =>
        Value is IDictionary<object, object> map
            ? map.Select(pair => new KeyValuePair<string, Node>((string)pair.Key, new Node(pair.Value)))
            : [];

    public string? Text => Value as string;

    public bool IsTrue => Text == "true";

    public bool IsFalse => Text == "false";

    public int? Number => int.TryParse(Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    public IReadOnlyDictionary<string, string> StringMap =>
        Entries.Where(e => e.Value.Text is not null).ToDictionary(e => e.Key, e => e.Value.Text!);

    public override string ToString() => Text ?? Value?.GetType().Name ?? "(missing)";
}
