using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// Bodies: malformed as a whole, of the wrong type or size, valid but for one hostile field,
/// with sibling arrays long enough to overflow a product, and with several hostile fields at once.
/// </summary>
public sealed partial class HostileRequestGenerator
{
    private const string Placeholder = "__hostile_value__";

    private static readonly string[] s_contentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=garbage", "application/json; charset=\"utf-8\"", "application/json; charset=utf-7",
        "application/json; charset=utf-16", "application/json; charset=latin1", "APPLICATION/JSON", "application/problem+json",
        "application/vnd.evil+json", "*/*", ";;;", "application/json, text/plain", "application/json; charset=utf-8; charset=garbage",
        "application/json; charset=", "application/json; " + new string('p', 10_240) + "=x",
    ];

    private byte[]? ValidBody(ApiRoute route) =>
        route.BodySchema is null ? null : Encoding.UTF8.GetBytes(ValidBodies.For(document, route.BodySchema, Marker).ToJsonString());

    private IEnumerable<HostileRequest> Bodies(ApiRoute route)
    {
        if (route.BodySchema is null)
        {
            yield return Build(route, "body: JSON sent to a route that takes none", EachCaller, "{\"unexpected\": true}"u8.ToArray());
            yield return Build(route, "body: garbage sent to a route that takes none", EachCaller, [0xFF, 0x00, 0xFE], contentType: "application/octet-stream");
            yield break;
        }
        var valid = ValidBodies.For(document, route.BodySchema, Marker);
        var text = valid.ToJsonString();
        var bytes = Encoding.UTF8.GetBytes(text);
        var closing = text[^1];
        List<(string Case, byte[] Body)> cases =
        [
            ("empty", []),
            ("whitespace only", " \n\t "u8.ToArray()),
            ("JSON null", "null"u8.ToArray()),
            ("JSON true", "true"u8.ToArray()),
            ("JSON number", "0"u8.ToArray()),
            ("JSON string", "\"text\""u8.ToArray()),
            ("empty object", "{}"u8.ToArray()),
            ("empty array", "[]"u8.ToArray()),
            ("array of one empty object", "[{}]"u8.ToArray()),
            ("array of null", "[null]"u8.ToArray()),
            valid is JsonArray array
                ? ("object where an array is expected", Encoding.UTF8.GetBytes(array[0]!.ToJsonString()))
                : ("array where an object is expected", Encoding.UTF8.GetBytes("[" + text + "]")),
            ("truncated", bytes[..(bytes.Length / 2)]),
            ("trailing garbage", Encoding.UTF8.GetBytes(text + " }{")),
            ("two documents", Encoding.UTF8.GetBytes(text + text)),
            ("trailing comma", Encoding.UTF8.GetBytes(text[..^1] + "," + closing)),
            ("comment", Encoding.UTF8.GetBytes("/* comment */" + text)),
            ("single quotes", Encoding.UTF8.GetBytes(text.Replace('"', '\''))),
            ("byte order mark", [0xEF, 0xBB, 0xBF, .. bytes]),
            ("UTF-16 without a charset", Encoding.Unicode.GetBytes(text)),
            ("invalid UTF-8 before the JSON", [0xFF, 0xFE, .. bytes]),
            ("NUL byte inside", [bytes[0], 0x00, .. bytes[1..]]),
            ("arrays nested 1,000 deep", Encoding.UTF8.GetBytes(HostileValues.Nested(1_000))),
            ("arrays nested 10,000 deep", Encoding.UTF8.GetBytes(HostileValues.Nested(10_000))),
            ("arrays nested 100,000 deep", Encoding.UTF8.GetBytes(HostileValues.Nested(100_000))),
            ("objects nested 1,000 deep", Encoding.UTF8.GetBytes(HostileValues.NestedObjects(1_000))),
            ("objects nested 5,000 deep", Encoding.UTF8.GetBytes(HostileValues.NestedObjects(5_000))),
            ("10,000 unknown fields", Encoding.UTF8.GetBytes("{" + string.Join(",", Enumerable.Range(0, 10_000).Select(i => string.Create(CultureInfo.InvariantCulture, $"\"f{i}\":1"))) + "}")),
            ("prototype pollution", Encoding.UTF8.GetBytes("{\"__proto__\": {\"role\": \"admin\"}, \"constructor\": {\"prototype\": {}}}")),
            ("huge number of array items", Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat("0", 100_000)) + "]")),
        ];
        if (valid is JsonObject && text.Length > 2)
        {
            cases.Add(("every field twice", Encoding.UTF8.GetBytes(text[..^1] + "," + text[1..])));
        }
        foreach (var (name, body) in cases)
        {
            yield return Build(route, "body: " + name, EachCaller, body);
        }
        yield return Build(route, "body: UTF-16 with its charset", EachCaller, Encoding.Unicode.GetBytes(text), contentType: "application/json; charset=utf-16");
        yield return Build(route, "body: no Content-Type", EachCaller, bytes, contentType: null);
        foreach (var contentType in s_contentTypes)
        {
            yield return Build(route, $"body: Content-Type {Label(contentType)}", EachCaller, bytes, contentType: contentType);
        }

        // Valid JSON padded with whitespace past the limit, so only the size limit can refuse it.
        // With a Content-Length the gateway refuses before anything else; a streamed body is
        // refused when read, after authorization (so a user on an admin route gets 403).
        var oversized = Padded(bytes, maxBodyBytes + 4096);
        yield return Build(route, "body: over the size limit, with Content-Length", EachCaller, oversized, expected: [413]);
        yield return Build(route, "body: over the size limit, streamed", EachCaller, oversized, unsized: true, expected: [413, 403]);
        yield return Build(route, "body: twice the size limit of garbage", EachCaller, Enumerable.Repeat((byte)'x', (int)maxBodyBytes * 2).ToArray(), expected: [413]);
        yield return Build(route, "body: just under the size limit", EachCaller, Padded(bytes, maxBodyBytes - 64));
        yield return Build(route, "body: just under the size limit, streamed", EachCaller, Padded(bytes, maxBodyBytes - 64), unsized: true);
    }

    private IEnumerable<HostileRequest> Fields(ApiRoute route)
    {
        if (route.BodySchema is null)
        {
            yield break;
        }
        var example = ValidBodies.For(document, route.BodySchema, Marker);
        foreach (var (path, schema) in Slots(example, route.BodySchema, [], 0))
        {
            var name = FieldName(path);
            foreach (var value in ValuesFor(schema))
            {
                yield return Build(route, $"field {name} = {value.Label}", EachCaller, Splice(example, path, value.Json));
            }
            if (Remove(example, path) is { } without)
            {
                yield return Build(route, $"field {name} left out", EachCaller, without);
            }
            if (Navigate(example, path) is JsonObject)
            {
                yield return Build(route, $"field {name}.unknown_field added", EachCaller, Splice(example, [.. path, "unknown_field"], "1"u8.ToArray()));
            }
        }
        foreach (var request in SiblingArrays(route, example))
        {
            yield return request;
        }
        if (example is JsonObject)
        {
            yield return Build(route, "field unknown_field added", EachCaller, Splice(example, ["unknown_field"], "1"u8.ToArray()));
            yield return Build(route, "field with a NUL in its name", EachCaller, Splice(example, ["name\0"], "\"x\""u8.ToArray()));
            yield return Build(route, "field name in another case", EachCaller, Splice(example, ["NAME"], "\"x\""u8.ToArray()));
        }
    }

    // Two to four hostile fields at once; none inside another.
    private HostileRequest Combination(ApiRoute route)
    {
        var example = ValidBodies.For(document, route.BodySchema!, Marker);
        var wanted = random.Next(2, 5);
        var chosen = new List<(object[] Path, HostileValue Value)>();
        foreach (var (path, schema) in Slots(example, route.BodySchema!, [], 0).OrderBy(_ => random.Next()).ToList())
        {
            var values = ValuesFor(schema).ToList();
            if (chosen.Count == wanted || values.Count == 0 || chosen.Any(c => Nests(c.Path, path) || Nests(path, c.Path)))
            {
                continue;
            }
            chosen.Add((path, values[random.Next(values.Count)]));
        }
        var label = string.Join("; ", chosen.Select(c => $"{FieldName(c.Path)} = {c.Value.Label}"));
        return Build(route, "combined: " + label, EachCaller, Splice(example, [.. chosen.Select(c => (c.Path, c.Value.Json))]));
    }

    private static bool Nests(object[] outer, object[] inner) =>
        outer.Length <= inner.Length && outer.AsSpan().SequenceEqual(inner.AsSpan(0, outer.Length));

    // Two arrays of one object, each 65,536 items long: whatever multiplies their lengths
    // (a grid matrix) gets 2^32, which an int holds as 0.
    private IEnumerable<HostileRequest> SiblingArrays(ApiRoute route, JsonNode example)
    {
        const int Items = 65_536;
        var arrays = Slots(example, route.BodySchema!, [], 0)
            .Where(slot => ApiDocument.TypeOf(slot.Schema) == "array" && Navigate(example, slot.Path[..^1]) is JsonObject)
            .GroupBy(slot => FieldName(slot.Path[..^1]));
        foreach (var siblings in arrays)
        {
            var pairs = siblings.SelectMany((a, i) => siblings.Skip(i + 1).Select(b => (a, b)));
            foreach (var (a, b) in pairs)
            {
                yield return Build(route, $"fields {FieldName(a.Path)} and {FieldName(b.Path)} with {Items:N0} items each", EachCaller,
                    Splice(example, [(a.Path, LongArray(a.Schema, Items)), (b.Path, LongArray(b.Schema, Items))]));
            }
        }
    }

    private byte[] LongArray(JsonObject schema, int items)
    {
        var item = ApiDocument.TypeOf(document.Resolve(schema["items"])) switch
        {
            "string" => "\"\"",
            "integer" or "number" => "0",
            _ => "{}",
        };
        return Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat(item, items)) + "]");
    }

    // Every field reachable from the body's schema, with its resolved schema. Arrays are
    // entered through their first item, objects through their declared properties.
    private IEnumerable<(object[] Path, JsonObject Schema)> Slots(JsonNode? example, JsonNode schema, object[] path, int depth)
    {
        var resolved = document.Resolve(schema);
        if (depth > 4)
        {
            yield break;
        }
        if (resolved["properties"] is JsonObject properties)
        {
            foreach (var (name, propertySchema) in properties)
            {
                object[] child = [.. path, name];
                yield return (child, document.Resolve(propertySchema));
                if ((example as JsonObject)?[name] is { } value)
                {
                    foreach (var slot in Slots(value, propertySchema!, child, depth + 1))
                    {
                        yield return slot;
                    }
                }
            }
        }
        else if (ApiDocument.TypeOf(resolved) == "array" && example is JsonArray { Count: > 0 } items && resolved["items"] is { } itemSchema)
        {
            object[] child = [.. path, 0];
            yield return (child, document.Resolve(itemSchema));
            foreach (var slot in Slots(items[0], itemSchema, child, depth + 1))
            {
                yield return slot;
            }
        }
    }

    private static IEnumerable<HostileValue> ValuesFor(JsonObject schema)
    {
        var typed = ApiDocument.TypeOf(schema) switch
        {
            "string" => HostileValues.Strings,
            "integer" or "number" => HostileValues.Integers,
            "array" => HostileValues.Arrays,
            "enum" => HostileValues.EnumValues,
            "object" when schema["additionalProperties"] is JsonObject => HostileValues.Maps,
            _ => [],
        };
        // A valid boolean is not hostile (and "disabled": true would lock a user out mid-run).
        var wrong = ApiDocument.TypeOf(schema) == "boolean" ? HostileValues.WrongTypes.Where(v => v.Label != "true") : HostileValues.WrongTypes;
        return typed.Concat(wrong);
    }

    private static byte[] Splice(JsonNode example, object[] path, byte[] value) => Splice(example, [(path, value)]);

    // The example with the values at the paths replaced by raw bytes (which need not be valid JSON).
    private static byte[] Splice(JsonNode example, IReadOnlyList<(object[] Path, byte[] Value)> replacements)
    {
        var copy = example.DeepClone();
        for (var i = 0; i < replacements.Count; i++)
        {
            var path = replacements[i].Path;
            var placeholder = string.Create(CultureInfo.InvariantCulture, $"{Placeholder}{i}");
            switch (path[^1], Navigate(copy, path[..^1]))
            {
                case (string name, JsonObject obj):
                    obj[name] = placeholder;
                    break;
                case (int index, JsonArray array):
                    array[index] = placeholder;
                    break;
                default:
                    throw new InvalidOperationException($"Cannot set {FieldName(path)} in {example.ToJsonString()}.");
            }
        }
        var text = Encoding.UTF8.GetBytes(copy.ToJsonString());
        for (var i = 0; i < replacements.Count; i++)
        {
            var quoted = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"\"{Placeholder}{i}\""));
            var at = text.AsSpan().IndexOf(quoted);
            text = [.. text[..at], .. replacements[i].Value, .. text[(at + quoted.Length)..]];
        }
        return text;
    }

    private static byte[]? Remove(JsonNode example, object[] path)
    {
        var copy = example.DeepClone();
        var parent = Navigate(copy, path[..^1]);
        var removed = (path[^1], parent) switch
        {
            (string name, JsonObject obj) => obj.Remove(name),
            (int index, JsonArray array) when index < array.Count => Do(() => array.RemoveAt(index)),
            _ => false,
        };
        return removed ? Encoding.UTF8.GetBytes(copy.ToJsonString()) : null;
    }

    private static bool Do(Action action)
    {
        action();
        return true;
    }

    private static JsonNode? Navigate(JsonNode? node, object[] path)
    {
        foreach (var step in path)
        {
            node = step switch
            {
                string name => node?[name],
                int index => node is JsonArray array && index < array.Count ? array[index] : null,
                _ => null,
            };
        }
        return node;
    }

    private static string FieldName(object[] path) =>
        string.Concat(path.Select((step, i) => step switch
        {
            int index => string.Create(CultureInfo.InvariantCulture, $"[{index}]"),
            _ => i == 0 ? step.ToString() : "." + step,
        }));

    // Valid JSON followed by spaces up to size bytes: JSON allows any amount of trailing whitespace.
    private static byte[] Padded(byte[] json, long size) =>
        [.. json, .. Enumerable.Repeat((byte)' ', (int)Math.Max(0, size - json.Length))];
}
