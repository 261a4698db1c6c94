using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// The bugs the generated hostile suite found, each pinned with the exact answer it must now
/// get, so that a regression names itself instead of hiding among ten thousand requests.
/// </summary>
public sealed class HostileInputRegressionTests(HostileInputGateway gateway) : IClassFixture<HostileInputGateway>
{
    [Fact]
    public async Task A_grid_matrix_whose_size_overflows_an_int_is_413_not_four_billion_tasks()
    {
        using var admin = gateway.Admin();
        var items = Enumerable.Repeat("", 65_536).ToArray();
        using var response = await admin.PostAsJsonAsync("/v1/grids", new { name = "bomb", matrix = new { objectives = items, languages = items } });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("4294967296 tasks", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await gateway.Database.ScalarAsync<long>("select count(*) from grids where name = 'bomb'"));
    }

    [Theory]
    [InlineData("/v1/tasks?user_id=%00")]
    [InlineData("/v1/grids?user_id=x%00y")]
    [InlineData("/v1/users?cursor=%00")]
    [InlineData("/v1/workers?silo=%00")]
    public async Task A_NUL_in_a_text_filter_is_400_naming_it_and_never_reaches_PostgreSQL(string path)
    {
        using var admin = gateway.Admin();
        using var response = await admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var parameter = path[(path.IndexOf('?', StringComparison.Ordinal) + 1)..path.IndexOf('=', StringComparison.Ordinal)];
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![parameter]);
    }

    [Theory]
    [InlineData("application/json; charset=garbage")]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json; charset=utf-7")]
    public async Task A_body_in_a_charset_the_server_cannot_read_is_415(string contentType)
    {
        using var admin = gateway.Admin();
        using var content = new ByteArrayContent("{\"objective\": \"x\", \"language\": \"python\"}"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await admin.PostAsync("/v1/tasks", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_streamed_body_over_the_limit_is_413_on_any_server_and_writes_nothing()
    {
        using var admin = gateway.Admin();
        var marker = "streamed-" + Guid.NewGuid().ToString("N");
        var json = Encoding.UTF8.GetBytes($"{{\"objective\": \"{marker}\", \"language\": \"python\"}}");
        using var content = new StreamContent(new UnseekableStream([.. json, .. Enumerable.Repeat((byte)' ', (int)HostileInputGateway.MaxBodyBytes)]));
        content.Headers.ContentType = new("application/json");
        using var response = await admin.PostAsync("/v1/tasks", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await gateway.Database.ScalarAsync<long>("select count(*) from tasks where objective = @marker", ("marker", marker)));
    }

    [Fact]
    public async Task A_missing_body_is_400_naming_the_body_in_the_callers_terms()
    {
        using var admin = gateway.Admin();
        using var content = new ByteArrayContent([]);
        content.Headers.ContentType = new("application/json");
        using var response = await admin.PostAsync("/v1/tasks", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.True(problem.Contains("\"body\"", StringComparison.Ordinal), problem);
        Assert.DoesNotContain("Service", problem, StringComparison.Ordinal);
    }

    // A stream whose length is unknown, so the client sends it without Content-Length.
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
