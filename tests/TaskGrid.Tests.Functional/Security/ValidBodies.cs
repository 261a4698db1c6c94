using System.Text.Json.Nodes;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// A plausible valid body for a schema of the OpenAPI document. Known request schemas have a
/// hand-written example (a codegen task needs an objective and a language, which no schema
/// says); anything else is derived from the schema. A route whose derived body the gateway
/// refuses shows up in the isolation suite as a 400 naming the schema to add here.
/// </summary>
public static class ValidBodies
{
    private static readonly Dictionary<string, Func<string, JsonNode>> s_examples = new(StringComparer.Ordinal)
    {
        ["SubmitTaskRequest"] = marker => new JsonObject { ["objective"] = marker, ["language"] = "python" },
        ["GridMatrix"] = marker => new JsonObject
        {
            ["objectives"] = new JsonArray(marker),
            ["languages"] = new JsonArray("python"),
        },
        ["CreateGridRequest"] = marker => new JsonObject
        {
            ["name"] = marker,
            ["tasks"] = new JsonArray(new JsonObject { ["objective"] = marker, ["language"] = "python" }),
            ["matrix"] = new JsonObject
            {
                ["objectives"] = new JsonArray(marker),
                ["languages"] = new JsonArray("go"),
                ["template"] = new JsonObject { ["priority"] = 1 },
            },
        },
        ["CreateUserRequest"] = marker => new JsonObject { ["name"] = marker, ["role"] = "user" },
        ["UpdateUserRequest"] = marker => new JsonObject { ["name"] = marker },
        ["CreateApiKeyRequest"] = marker => new JsonObject { ["name"] = marker },
        ["RenameArtifactRequest"] = marker => new JsonObject { ["name"] = marker },
    };

    /// <summary>A valid value for <paramref name="schema"/>, carrying <paramref name="marker"/> where it takes free text.</summary>
    public static JsonNode For(ApiDocument document, JsonNode schema, string marker, int depth = 0)
    {
        var resolved = document.Resolve(schema, out var name);
        if (name is not null && s_examples.TryGetValue(name, out var example))
        {
            return example(marker);
        }
        if (depth > 8)
        {
            return new JsonObject();
        }
        return ApiDocument.TypeOf(resolved) switch
        {
            "array" => new JsonArray(For(document, resolved["items"] ?? new JsonObject(), marker, depth + 1)),
            "object" or "any" => Derive(document, resolved, marker, depth),
            "integer" or "number" => 1,
            "boolean" => false,
            "enum" => resolved["enum"]![0]!.DeepClone(),
            _ => marker,
        };
    }

    private static JsonObject Derive(ApiDocument document, JsonObject schema, string marker, int depth)
    {
        var required = (schema["required"] as JsonArray ?? []).Select(r => (string)r!).ToHashSet(StringComparer.Ordinal);
        var body = new JsonObject();
        foreach (var (field, fieldSchema) in schema["properties"] as JsonObject ?? [])
        {
            if (required.Contains(field))
            {
                body[field] = For(document, fieldSchema!, marker, depth + 1);
            }
        }
        return body;
    }
}
