using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TaskGrid.Tests.Functional.Support;

namespace TaskGrid.Tests.Functional.Api;

/// <summary>A gateway whose artifacts may hold at most 8 MiB.</summary>
public sealed class ArtifactsGateway : GatewayFactory
{
    public const int MaxBytes = 8 * 1024 * 1024;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["TaskGrid:Artifacts:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class ArtifactsApiTests(ArtifactsGateway gateway) : IClassFixture<ArtifactsGateway>
{
    [Fact]
    public async Task A_multi_megabyte_upload_is_deduplicated_and_downloads_byte_for_byte_with_an_etag()
    {
        var user = await gateway.NewUserAsync();
        var bytes = RandomNumberGenerator.GetBytes((6 * 1024 * 1024) + 3);

        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(bytes), "file", "ignored-file-name.bin");
        form.Add(new StringContent("dataset.bin"), "name");
        using var created = await user.Client.PostAsync("/v1/artifacts", form);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var artifact = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = (string)artifact["id"]!;
        Assert.Equal("dataset.bin", (string)artifact["name"]!);
        Assert.Equal(bytes.Length, (long)artifact["size"]!);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), (string)artifact["sha256"]!);
        Assert.Equal(user.Id, (string)artifact["user_id"]!);
        Assert.Equal($"/v1/artifacts/{id}", created.Headers.Location!.OriginalString);

        using var raw = new ByteArrayContent(bytes);
        raw.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var again = await user.Client.PostAsync("/v1/artifacts?name=again.bin", raw);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, (string)(await again.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);

        using var download = await user.Client.GetAsync($"/v1/artifacts/{id}/content", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes.Length, download.Content.Headers.ContentLength);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("dataset.bin", download.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        Assert.Equal($"\"{artifact["sha256"]}\"", download.Headers.ETag!.ToString());
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/v1/artifacts/{id}/content");
        conditional.Headers.IfNoneMatch.Add(download.Headers.ETag);
        using var notModified = await user.Client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        var list = (await user.Client.GetFromJsonAsync<JsonObject>("/v1/artifacts"))!;
        Assert.Equal([id], list["items"]!.AsArray().Select(a => (string)a!["id"]!).ToArray());
    }

    [Fact]
    public async Task Another_users_artifact_is_a_404_everywhere()
    {
        var owner = await gateway.NewUserAsync();
        var other = await gateway.NewUserAsync();
        var id = await UploadAsync(owner, "secret.txt", "s3cr3t"u8.ToArray());

        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/v1/artifacts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/v1/artifacts/{id}/content")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.DeleteAsync($"/v1/artifacts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.PatchAsJsonAsync($"/v1/artifacts/{id}", new { name = "mine" })).StatusCode);
        Assert.Empty((await other.Client.GetFromJsonAsync<JsonObject>("/v1/artifacts"))!["items"]!.AsArray());
        // Running it is refused too, without saying whether it exists.
        using var task = await other.Client.PostAsJsonAsync("/v1/tasks", new { kind = "script", interpreter = "bash", artifact_id = id });
        Assert.Equal(HttpStatusCode.BadRequest, task.StatusCode);
        Assert.Contains("artifact_id", await task.Content.ReadAsStringAsync());
        // The same bytes uploaded by the other user are their own artifact.
        var theirs = await UploadAsync(other, "mine.txt", "s3cr3t"u8.ToArray());
        Assert.NotEqual(id, theirs);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Admin().GetAsync($"/v1/artifacts/{id}")).StatusCode);
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_413_with_or_without_a_content_length()
    {
        var user = await gateway.NewUserAsync();
        using var sized = new ByteArrayContent(new byte[ArtifactsGateway.MaxBytes + (128 * 1024)]);
        using var tooLarge = await user.Client.PostAsync("/v1/artifacts?name=big", sized);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);

        using var streamed = new StreamContent(new UnsizedStream(ArtifactsGateway.MaxBytes + 1));
        using var tooLargeStreamed = await user.Client.PostAsync("/v1/artifacts?name=big", streamed);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLargeStreamed.StatusCode);
        Assert.Empty((await user.Client.GetFromJsonAsync<JsonObject>("/v1/artifacts"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task Deleting_an_artifact_a_pending_task_runs_is_409_until_the_task_is_cancelled()
    {
        var user = await gateway.NewUserAsync();
        var id = await UploadAsync(user, "job.sh", "echo hi\n"u8.ToArray());
        using var submitted = await user.Client.PostAsJsonAsync("/v1/tasks", new { kind = "script", interpreter = "bash", artifact_id = id });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var task = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(id, (string)task["script"]!["artifact_id"]!);

        using var conflict = await user.Client.DeleteAsync($"/v1/artifacts/{id}");
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType!.MediaType);

        Assert.Equal(HttpStatusCode.OK, (await user.Client.PostAsync($"/v1/tasks/{task["id"]}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync($"/v1/artifacts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.Client.GetAsync($"/v1/artifacts/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_script_task_needs_exactly_one_of_source_and_artifact_id()
    {
        var user = await gateway.NewUserAsync();
        using var both = await user.Client.PostAsJsonAsync("/v1/tasks", new { kind = "script", interpreter = "bash", source = "echo", artifact_id = Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Contains("not both", await both.Content.ReadAsStringAsync());
        using var neither = await user.Client.PostAsJsonAsync("/v1/tasks", new { kind = "script", interpreter = "bash" });
        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
        Assert.Contains("source", await neither.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_multipart_upload_without_a_file_part_names_the_missing_part()
    {
        var user = await gateway.NewUserAsync();
        using var form = new MultipartFormDataContent { { new StringContent("x"), "name" } };
        using var response = await user.Client.PostAsync("/v1/artifacts", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"file\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_tasks_log_pages_and_a_finished_tasks_follow_stream_ends_at_once()
    {
        var user = await gateway.NewUserAsync();
        using var submitted = await user.Client.PostAsJsonAsync("/v1/tasks", new { kind = "noop" });
        var id = (string)(await submitted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        var page = (await user.Client.GetFromJsonAsync<JsonObject>($"/v1/tasks/{id}/logs"))!;
        Assert.Empty(page["items"]!.AsArray());
        Assert.Equal("pending", (string)page["task_status"]!);
        Assert.False((bool)page["has_more"]!);

        await user.Client.PostAsync($"/v1/tasks/{id}/cancel", null);
        using var follow = await user.Client.GetAsync($"/v1/tasks/{id}/logs?follow=true");
        Assert.Equal("text/event-stream", follow.Content.Headers.ContentType!.MediaType);
        var body = await follow.Content.ReadAsStringAsync();
        Assert.Contains("event: end", body);
        Assert.Contains("\"status\":\"cancelled\"", body);

        var other = await gateway.NewUserAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/v1/tasks/{id}/logs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/v1/tasks/{id}/logs?follow=true")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/v1/tasks/{id}/artifacts")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await user.Client.GetAsync($"/v1/tasks/{id}/logs?cursor=abc")).StatusCode);
    }

    [Fact]
    public async Task The_new_routes_are_in_the_openapi_document_with_summaries()
    {
        using var anonymous = gateway.ClientWithKey(null);
        var document = (await anonymous.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();
        (string Path, string Method)[] routes =
        [
            ("/v1/artifacts", "post"), ("/v1/artifacts", "get"), ("/v1/artifacts/{id}", "get"), ("/v1/artifacts/{id}", "patch"),
            ("/v1/artifacts/{id}", "delete"), ("/v1/artifacts/{id}/content", "get"), ("/v1/tasks/{id}/logs", "get"), ("/v1/tasks/{id}/artifacts", "get"),
        ];
        foreach (var (path, method) in routes)
        {
            var operation = paths[path]?[method];
            Assert.True(operation is not null, $"{method.ToUpperInvariant()} {path} is missing from the OpenAPI document");
            Assert.False(string.IsNullOrWhiteSpace((string?)operation["summary"]), $"{method.ToUpperInvariant()} {path} has no summary");
        }
    }

    private static async Task<string> UploadAsync(TestUser user, string name, byte[] bytes)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await user.Client.PostAsync($"/v1/artifacts?name={Uri.EscapeDataString(name)}", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    /// <summary>A body of zeros whose length the client does not know, so it is sent chunked.</summary>
    private sealed class UnsizedStream(long length) : Stream
    {
        private long _left = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, _left);
            Array.Clear(buffer, offset, n);
            _left -= n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
