using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TaskGrid.Tests.Functional.Support;

namespace TaskGrid.Tests.Functional.Observability;

/// <summary>The OpenAPI document describes every endpoint the gateway maps, and the documentation UIs serve it.</summary>
public sealed class OpenApiDocumentTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    // Endpoints that are not part of the API: the pages, and the document itself.
    private static readonly HashSet<string> s_notApi = new(StringComparer.Ordinal) { "GET /", "GET /dashboard", "GET /openapi/{documentName}.json" };

    [Fact]
    public async Task Every_mapped_endpoint_appears_in_the_document()
    {
        var document = await DocumentAsync();
        var paths = document["paths"]!.AsObject();
        var endpoints = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Path: Normalize(e.RoutePattern.RawText!))))
            .ToList();
        Assert.Contains(endpoints, e => e.Path == "/v1/metrics");
        var missing = endpoints
            .Where(e => !s_notApi.Contains($"{e.Method} {e.Path}"))
            .Where(e => paths[e.Path]?[e.Method.ToLowerInvariant()] is null)
            .Select(e => $"{e.Method} {e.Path}")
            .ToList();
        Assert.True(missing.Count == 0, "Mapped but missing from /openapi/v1.json: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Every_operation_documents_its_answers_errors_and_examples()
    {
        var document = await DocumentAsync();
        var schemas = document["components"]!["schemas"]!.AsObject();
        var problems = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                var operation = node!.AsObject();
                var name = $"{method.ToUpperInvariant()} {path}";
                if (string.IsNullOrWhiteSpace((string?)operation["summary"]))
                {
                    problems.Add($"{name} has no summary");
                }
                var responses = operation["responses"]!.AsObject();
                if (!responses.Any(r => r.Key.StartsWith('2') && r.Value?["content"] is JsonObject { Count: > 0 }))
                {
                    problems.Add($"{name} documents no successful answer with a body");
                }
                if (operation["security"] is JsonArray { Count: > 0 } && responses["401"] is null)
                {
                    problems.Add($"{name} needs a key but documents no 401");
                }
                if (path.StartsWith("/v1/", StringComparison.Ordinal) && responses["429"] is null)
                {
                    problems.Add($"{name} documents no 429");
                }
                if (path.Contains('{', StringComparison.Ordinal) && path.StartsWith("/v1/", StringComparison.Ordinal) && responses["404"] is null)
                {
                    problems.Add($"{name} names a resource but documents no 404");
                }
                if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is JsonNode body && !HasExample(body, schemas))
                {
                    problems.Add($"{name}'s request body has no example");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.NotNull(document["components"]!["securitySchemes"]!["bearer"]);
    }

    [Theory]
    [InlineData("/docs/index.html", "swagger")]
    [InlineData("/redocs/index.html", "redoc")]
    public async Task The_documentation_uis_are_served_without_a_key_and_load_nothing_from_elsewhere(string path, string marker)
    {
        using var client = gateway.ClientWithKey(null);
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(marker, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        var config = await client.GetStringAsync(path.Replace("index.html", path.StartsWith("/docs", StringComparison.Ordinal) ? "index.js" : "index.js", StringComparison.Ordinal));
        Assert.Contains("/openapi/v1.json", config, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", "Your tasks")]
    [InlineData("/dashboard", "Recent failures")]
    public async Task The_page_and_the_dashboard_are_served_without_a_key_with_a_strict_content_policy(string path, string text)
    {
        using var client = gateway.ClientWithKey(null);
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(text, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/js/dashboard.js")).StatusCode);
    }

    private async Task<JsonObject> DocumentAsync()
    {
        using var client = gateway.ClientWithKey(null);
        return (await client.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
    }

    private static bool HasExample(JsonNode schema, JsonObject schemas)
    {
        for (var hops = 0; hops < 8; hops++)
        {
            if (schema["examples"] is JsonArray { Count: > 0 } || schema["example"] is not null)
            {
                return true;
            }
            if ((string?)schema["$ref"] is { } reference)
            {
                schema = schemas[reference[(reference.LastIndexOf('/') + 1)..]]!;
                continue;
            }
            if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray choices && choices.FirstOrDefault(c => (string?)c?["type"] != "null") is JsonNode choice)
            {
                schema = choice;
                continue;
            }
            if (schema["items"] is JsonNode items)
            {
                schema = items;
                continue;
            }
            return false;
        }
        return false;
    }

    // "/v1/tasks/{id:guid}" → "/v1/tasks/{id}"; "/v1/tasks/" → "/v1/tasks".
    private static string Normalize(string pattern)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(pattern, @"\{([^}:]+):[^}]+\}", "{$1}");
        path = path.Length > 1 ? path.TrimEnd('/') : path;
        return path.StartsWith('/') ? path : "/" + path;
    }
}
