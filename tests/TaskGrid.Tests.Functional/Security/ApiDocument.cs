using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// The gateway's own OpenAPI document (<c>/openapi/v1.json</c>), read as the list of routes the
/// security suites cover: a route added later is covered without editing them.
/// </summary>
public sealed class ApiDocument
{
    private static readonly string[] s_methods = ["get", "post", "put", "patch", "delete"];
    private readonly JsonObject _schemas;

    private ApiDocument(IReadOnlyList<ApiRoute> routes, JsonObject schemas)
    {
        Routes = routes;
        _schemas = schemas;
    }

    /// <summary>Every route under <c>/v1</c>.</summary>
    public IReadOnlyList<ApiRoute> Routes { get; }

    public static async Task<ApiDocument> LoadAsync(HttpClient client)
    {
        var document = await client.GetFromJsonAsync<JsonObject>("/openapi/v1.json")
            ?? throw new InvalidOperationException("/openapi/v1.json answered null.");
        var routes = new List<ApiRoute>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (!path.StartsWith("/v1/", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var (method, operation) in item!.AsObject())
            {
                if (!s_methods.Contains(method))
                {
                    continue;
                }
                var parameters = (operation!["parameters"] as JsonArray ?? [])
                    .Select(p => new ApiParameter((string)p!["name"]!, (string)p["in"]!, p["schema"]?.DeepClone() ?? new JsonObject()))
                    .ToList();
                var body = operation["requestBody"]?["content"]?["application/json"]?["schema"]?.DeepClone();
                routes.Add(new ApiRoute(method.ToUpperInvariant(), path, parameters, body));
            }
        }
        var schemas = document["components"]?["schemas"]?.DeepClone() as JsonObject ?? [];
        return new ApiDocument(routes, schemas);
    }

    /// <summary>
    /// The schema itself with <c>$ref</c> followed and a nullable <c>oneOf [null, X]</c> reduced to X.
    /// <paramref name="name"/> is the component's name when a reference was followed.
    /// </summary>
    public JsonObject Resolve(JsonNode? schema, out string? name)
    {
        name = null;
        for (var hops = 0; hops < 16 && schema is JsonObject node; hops++)
        {
            if ((string?)node["$ref"] is { } reference)
            {
                name = reference[(reference.LastIndexOf('/') + 1)..];
                schema = _schemas[name] ?? throw new InvalidOperationException($"The OpenAPI document refers to {reference}, which it does not define.");
                continue;
            }
            if (node["oneOf"] is JsonArray choices && choices.FirstOrDefault(c => TypeOf(c) != "null") is { } choice)
            {
                schema = choice;
                continue;
            }
            return node;
        }
        return [];
    }

    public JsonObject Resolve(JsonNode? schema) => Resolve(schema, out _);

    /// <summary>The schema's type, ignoring <c>null</c> in a type list; <c>enum</c> for an enumeration without a type.</summary>
    public static string TypeOf(JsonNode? schema) => schema?["type"] switch
    {
        JsonValue value => (string)value!,
        JsonArray types => types.Select(t => (string?)t).FirstOrDefault(t => t != "null") ?? "null",
        _ when schema?["enum"] is not null => "enum",
        _ when schema?["$ref"] is not null || schema?["oneOf"] is not null => "ref",
        _ => "any",
    };
}
