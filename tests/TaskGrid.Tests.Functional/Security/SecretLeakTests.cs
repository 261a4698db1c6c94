using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using TaskGrid.Tests.Functional.Support;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// API keys never appear in logs, error bodies, listings or headers: only the one answer that
/// creates a key shows it. Requests use valid keys, invalid ones, revoked ones, the bootstrap
/// admin key, and provoke every kind of error.
/// </summary>
public sealed class SecretLeakTests(VerboseLoggingGateway gateway) : IClassFixture<VerboseLoggingGateway>
{
    private readonly List<string> _answers = [];

    [Fact]
    public async Task Keys_appear_only_in_the_answer_that_creates_them()
    {
        var user = await gateway.NewUserAsync(name: "keeper of secrets");
        using var admin = gateway.Admin();

        using var created = await admin.PostAsJsonAsync($"/v1/users/{user.Id}/api-keys", new { name = "second" });
        var creation = await created.Content.ReadAsStringAsync();
        var second = (JsonNode.Parse(creation)!["key"] as JsonValue)!.GetValue<string>();
        Assert.Contains(second, creation, StringComparison.Ordinal);

        using var revokedResponse = await admin.PostAsJsonAsync($"/v1/users/{user.Id}/api-keys", new { name = "to revoke" });
        var revokedKey = JsonNode.Parse(await revokedResponse.Content.ReadAsStringAsync())!.AsObject();
        await SendAsync(admin, HttpMethod.Delete, $"/v1/api-keys/{revokedKey["id"]}");
        var revoked = (string)revokedKey["key"]!;

        string[] invalid =
        [
            "tg_" + new string('Z', 40), user.Key + "x", user.Key[..^1], user.Key.ToUpperInvariant(), user.Key + "\0",
            GatewayFactory.AdminKey + "x", new string('k', 300) + user.Key, revoked,
        ];
        var task = await CreateTaskAsync(user.Client);

        foreach (var key in (string[])[user.Key, second, GatewayFactory.AdminKey, .. invalid])
        {
            foreach (var header in new[] { "Authorization", "X-Api-Key" })
            {
                using var client = gateway.ClientWithKey(null);
                client.DefaultRequestHeaders.TryAddWithoutValidation(header, header == "Authorization" ? "Bearer " + key : key);
                await ProvokeEverythingAsync(client, user.Id, task);
            }
        }
        using (var basic = gateway.ClientWithKey(null))
        {
            basic.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("u:" + user.Key)));
            await ProvokeEverythingAsync(basic, user.Id, task);
        }

        (string Label, string Key)[] secrets =
        [
            ("the user's key", user.Key), ("the user's second key", second), ("a revoked key", revoked),
            ("the bootstrap admin key", GatewayFactory.AdminKey), .. invalid.Select((key, i) => ($"invalid key #{i}", key)),
        ];
        var leaks = new List<string>();
        foreach (var (label, key) in secrets)
        {
            // Past the prefix that listings show by design, a key is secret; look for that part.
            var hidden = key.Length > 10 ? key[10..] : key;
            leaks.AddRange(_answers.Where(a => a.Contains(hidden, StringComparison.Ordinal)).Select(a => $"{label} in an answer: {Redact(a, hidden)}"));
            leaks.AddRange(gateway.Logs.Lines.Where(l => l.Contains(hidden, StringComparison.Ordinal)).Select(l => $"{label} in the log: {Redact(l, hidden)}"));
        }
        Assert.True(leaks.Count == 0, $"{leaks.Count} leaks:\n" + string.Join("\n", leaks.Take(20)));
        // Framework traces were captured too, including the authentication handler's own.
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("was not authenticated", StringComparison.Ordinal));
    }

    // Successes, listings of keys, and every error status the gateway has: 400, 401, 403, 404, 405, 409, 413, 415.
    private async Task ProvokeEverythingAsync(HttpClient client, string userId, string taskId)
    {
        await SendAsync(client, HttpMethod.Get, "/v1/users/me");
        await SendAsync(client, HttpMethod.Get, "/v1/api-keys");
        await SendAsync(client, HttpMethod.Get, $"/v1/users/{userId}/api-keys");
        await SendAsync(client, HttpMethod.Get, "/v1/users");
        await SendAsync(client, HttpMethod.Get, $"/v1/tasks/{taskId}");
        await SendAsync(client, HttpMethod.Get, $"/v1/tasks/{Guid.NewGuid()}");
        await SendAsync(client, HttpMethod.Get, "/v1/tasks?limit=-1&cursor=garbage");
        await SendAsync(client, HttpMethod.Post, "/v1/tasks", "{\"objective\": 5}");
        await SendAsync(client, HttpMethod.Post, "/v1/tasks", "{\"objective\": \"x\", \"language\": \"python\", \"user_id\": \"someone-else\"}");
        await SendAsync(client, HttpMethod.Post, "/v1/tasks", "{\"objective\":", "application/json; charset=garbage");
        await SendAsync(client, HttpMethod.Post, "/v1/tasks", "{}", "text/plain");
        await SendAsync(client, HttpMethod.Post, "/v1/tasks", "{\"objective\": \"" + new string('x', 100 * 1024) + "\"}");
        await SendAsync(client, HttpMethod.Post, $"/v1/tasks/{taskId}/retry");
        await SendAsync(client, HttpMethod.Put, "/v1/tasks");
        await SendAsync(client, HttpMethod.Post, "/v1/users", "{\"name\": \"x\", \"role\": \"root\"}");
        await SendAsync(client, HttpMethod.Get, "/v1/status");
    }

    private async Task SendAsync(HttpClient client, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.Remove("Content-Type");
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        using var response = await client.SendAsync(request);
        _answers.Add($"{response.Headers}{response.Content.Headers}{await response.Content.ReadAsStringAsync()}");
    }

    private static string Redact(string text, string secret)
    {
        var redacted = text.Replace(secret, "«secret»", StringComparison.Ordinal);
        return redacted.Length <= 300 ? redacted : redacted[..300] + "…";
    }

    private static async Task<string> CreateTaskAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/v1/tasks", new { objective = "o", language = "python" });
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }
}
