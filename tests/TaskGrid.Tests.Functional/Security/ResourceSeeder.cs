using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TaskGrid.Tests.Functional.Support;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>Gives a user one resource of every kind through the API, as they would make them.</summary>
public static class ResourceSeeder
{
    /// <summary>
    /// A task, a grid with two tasks, a spare API key and an artifact for <paramref name="user"/>, each carrying
    /// <paramref name="marker"/>. User routes point at <paramref name="usersRouteTarget"/> (default: the user).
    /// </summary>
    public static async Task<OwnedResources> SeedAsync(TestUser user, string marker, string? usersRouteTarget = null)
    {
        var task = await PostAsync(user.Client, "/v1/tasks", new { objective = marker, language = "python" });
        var grid = await PostAsync(user.Client, "/v1/grids", new
        {
            name = marker,
            tasks = new object[] { new { objective = marker, language = "python" }, new { kind = "noop", objective = marker } },
        });
        var gridTasks = await user.Client.GetFromJsonAsync<JsonObject>($"/v1/grids/{grid["id"]}/tasks");
        var key = await PostAsync(user.Client, $"/v1/users/{user.Id}/api-keys", new { name = marker });
        using var bytes = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($"echo {marker}\n"));
        bytes.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var uploaded = await user.Client.PostAsync($"/v1/artifacts?name={Uri.EscapeDataString(marker)}.sh", bytes);
        var artifact = JsonNode.Parse(await uploaded.Content.ReadAsStringAsync())!.AsObject();
        return new OwnedResources(
            UserId: usersRouteTarget ?? user.Id,
            TaskId: (string)task["id"]!,
            GridId: (string)grid["id"]!,
            GridTaskIds: [.. ((JsonArray)gridTasks!["items"]!).Select(t => (string)t!["id"]!)],
            KeyId: (string)key["id"]!,
            KeyPrefix: (string)key["prefix"]!,
            Marker: marker,
            ArtifactId: (string)artifact["id"]!);
    }

    private static async Task<JsonObject> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!.AsObject()
            : throw new InvalidOperationException($"Seeding failed: POST {path} answered {(int)response.StatusCode}: {text}");
    }
}
