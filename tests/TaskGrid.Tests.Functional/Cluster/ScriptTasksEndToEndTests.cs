using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Functional.Cluster;

/// <summary>
/// Script tasks through real processes: a silo runs them, the gateway serves their logs (live
/// over server-sent events, from LISTEN/NOTIFY) and the files they wrote.
/// </summary>
public sealed class ScriptTasksEndToEndTests(ScriptCluster cluster) : IClassFixture<ScriptCluster>
{
    private HttpClient Http => cluster.Http;

    [Fact]
    public async Task A_scripts_output_is_followed_live_while_it_runs()
    {
        var id = await SubmitAsync(new
        {
            kind = "script",
            interpreter = "bash",
            source = "for i in 1 2 3 4 5; do echo \"line $i\"; sleep 0.4; done\necho 'almost done' >&2",
        });

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/tasks/{id}/logs?follow=true");
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var lines = new List<(string Stream, string Line)>();
        string? statusAtFirstLine = null;
        string? end = null;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(deadline.Token))
        {
            if (item.EventType == "end")
            {
                end = item.Data;
                break;
            }
            if (item.EventType != "log")
            {
                continue;
            }
            var line = JsonNode.Parse(item.Data)!;
            lines.Add(((string)line["stream"]!, (string)line["line"]!));
            if ((string)line["line"]! == "line 1")
            {
                statusAtFirstLine = (string?)(await Http.GetFromJsonAsync<JsonObject>($"/v1/tasks/{id}"))!["status"];
            }
        }

        Assert.Equal("running", statusAtFirstLine);
        Assert.Equal("completed", (string?)JsonNode.Parse(end!)!["status"]);
        Assert.Equal(["line 1", "line 2", "line 3", "line 4", "line 5"], lines.Where(l => l.Stream == "stdout").Select(l => l.Line).ToArray());
        Assert.Contains(("stderr", "almost done"), lines);
        Assert.StartsWith("Claimed by worker silo-scripts/", lines.First(l => l.Stream == "system").Line);
        Assert.Contains(lines, l => l.Stream == "system" && l.Line.StartsWith("Exited with code 0", StringComparison.Ordinal));

        // The same lines, paged.
        var page = (await Http.GetFromJsonAsync<JsonObject>($"/v1/tasks/{id}/logs?limit=3"))!;
        Assert.Equal(3, page["items"]!.AsArray().Count);
        Assert.True((bool)page["has_more"]!);
        var rest = (await Http.GetFromJsonAsync<JsonObject>($"/v1/tasks/{id}/logs?cursor={page["next_cursor"]}"))!;
        Assert.Equal(lines.Count, 3 + rest["items"]!.AsArray().Count);
        Assert.Equal("completed", (string)rest["task_status"]!);
    }

    [Fact]
    public async Task Files_a_script_writes_under_out_become_artifacts_of_the_task()
    {
        var id = await SubmitAsync(new
        {
            kind = "script",
            interpreter = "python3",
            source = "import os\nos.makedirs('out', exist_ok=True)\nopen('out/answer.txt', 'w').write('forty-two\\n')\nprint('wrote it')",
        });
        var task = await FinishedAsync(id);
        Assert.Equal("completed", (string)task["status"]!);

        var outputs = (await Http.GetFromJsonAsync<JsonArray>($"/v1/tasks/{id}/artifacts"))!;
        var output = Assert.Single(outputs)!;
        Assert.Equal("out/answer.txt", (string)output["path"]!);
        Assert.Equal(id, (string)output["artifact"]!["task_id"]!);
        Assert.False((bool)output["artifact"]!["uploaded"]!);
        Assert.Equal("forty-two\n", await Http.GetStringAsync($"/v1/artifacts/{output["artifact"]!["id"]}/content"));
    }

    [Fact]
    public async Task A_10_MB_stdout_flood_is_truncated_and_the_silo_stays_healthy()
    {
        var flood = await SubmitAsync(new
        {
            kind = "script",
            interpreter = "python3",
            source = "import sys\nline = 'y' * 99 + '\\n'\nfor _ in range(100):\n    sys.stdout.write(line * 1000)\n",
        });
        var task = await FinishedAsync(flood);
        Assert.Equal("completed", (string)task["status"]!);
        var output = (string)task["output"]!;
        Assert.True(output.Length < ScriptCluster.MaxOutputBytes + 200, $"the task kept {output.Length} characters of output");
        Assert.Contains("output truncated", output);
        var stored = await cluster.Database.ScalarAsync<long>(
            "select coalesce(sum(octet_length(line) + 1), 0) from task_logs where task_id = @id and stream = 'stdout'", ("id", Guid.Parse(flood)));
        Assert.InRange(stored, ScriptCluster.MaxLogBytes - 100, ScriptCluster.MaxLogBytes);

        var next = await FinishedAsync(await SubmitAsync(new { kind = "script", interpreter = "sh", source = "echo still here" }));
        Assert.Equal("still here\n", (string)next["output"]!);
        Assert.False(cluster.Silo.HasExited);
        Assert.Equal("healthy", (string?)(await TaskGridCluster.StatusAsync(Http))!["status"]);
        var resident = File.ReadLines($"/proc/{cluster.Silo.Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = long.Parse(resident.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(kilobytes < 600 * 1024, $"the silo uses {kilobytes} kB after the flood");
    }

    [Fact]
    public async Task A_grid_fans_an_uploaded_script_out_over_a_matrix_of_arguments()
    {
        using var script = new ByteArrayContent("echo \"$1-$2\"\n"u8.ToArray());
        script.Headers.ContentType = new MediaTypeHeaderValue("text/x-shellscript");
        using var uploaded = await Http.PostAsync("/v1/artifacts?name=pair.sh", script);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var artifactId = (string)(await uploaded.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        using var created = await Http.PostAsJsonAsync("/v1/grids", new
        {
            name = "pairs",
            matrix = new
            {
                args = new[] { new[] { "a", "b" }, new[] { "1", "2", "3" } },
                template = new { interpreter = "bash", artifact_id = artifactId },
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var grid = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(6, (int)grid["total"]!);
        await Eventually.HoldsAsync(async () =>
            (string?)(await Http.GetFromJsonAsync<JsonObject>($"/v1/grids/{grid["id"]}"))!["status"] == "finished",
            TimeSpan.FromSeconds(60), "the grid to finish");

        var tasks = (await Http.GetFromJsonAsync<JsonObject>($"/v1/grids/{grid["id"]}/tasks"))!["items"]!.AsArray();
        Assert.All(tasks, t => Assert.Equal("completed", (string)t!["status"]!));
        Assert.Equal(["a-1\n", "a-2\n", "a-3\n", "b-1\n", "b-2\n", "b-3\n"], tasks.Select(t => (string)t!["output"]!).Order().ToArray());
    }

    private async Task<string> SubmitAsync(object body)
    {
        using var response = await Http.PostAsJsonAsync("/v1/tasks", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private async Task<JsonObject> FinishedAsync(string id)
    {
        JsonObject task = null!;
        await Eventually.HoldsAsync(async () =>
        {
            task = (await Http.GetFromJsonAsync<JsonObject>($"/v1/tasks/{id}"))!;
            return (string)task["status"]! is "completed" or "failed" or "cancelled" or "expired";
        }, TimeSpan.FromSeconds(60), $"task {id} to finish");
        return task;
    }
}
