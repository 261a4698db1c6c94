using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TaskGrid.Tests.Functional.Support;

namespace TaskGrid.Tests.Functional.Api;

public sealed class AuthenticationTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("Authorization", "Bearer tg_not_a_real_key_000000000000000000000")]
    [InlineData("Authorization", "Basic dXNlcjpwYXNz")]
    [InlineData("Authorization", "Bearer ")]
    [InlineData("X-Api-Key", "definitely-wrong")]
    public async Task Requests_without_a_valid_key_get_401_problem_json(string? header, string? value)
    {
        using var client = gateway.ClientWithKey(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/tasks");
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Status_is_open_to_everyone()
    {
        using var client = gateway.ClientWithKey(null);
        using var response = await client.GetAsync("/v1/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_key_works_as_bearer_and_as_x_api_key_and_stops_working_when_revoked()
    {
        var user = await gateway.NewUserAsync();
        using var viaHeader = gateway.ClientWithKey(null);
        viaHeader.DefaultRequestHeaders.Add("X-Api-Key", user.Key);
        Assert.Equal(HttpStatusCode.OK, (await viaHeader.GetAsync("/v1/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/v1/tasks")).StatusCode);

        using var revoke = await user.Client.DeleteAsync($"/v1/api-keys/{user.KeyId}");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Client.GetAsync("/v1/tasks")).StatusCode);
        Assert.NotNull(await gateway.Database.ScalarAsync<DateTime?>("select revoked_at from api_keys where id = @id", ("id", Guid.Parse(user.KeyId))));
    }

    [Fact]
    public async Task Keys_are_stored_only_as_hashes_and_listed_without_secrets()
    {
        var user = await gateway.NewUserAsync();
        var stored = await gateway.Database.ScalarAsync<long>(
            "select count(*) from api_keys where id = @id and hash = sha256(convert_to(@key, 'UTF8')) and position(@key in prefix) = 0",
            ("id", Guid.Parse(user.KeyId)), ("key", user.Key));
        Assert.Equal(1, stored);
        var listing = await user.Client.GetStringAsync($"/v1/users/{user.Id}/api-keys");
        Assert.DoesNotContain(user.Key, listing, StringComparison.Ordinal);
        Assert.Contains(user.Key[..10], listing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_user_is_locked_out_and_enabled_again()
    {
        var user = await gateway.NewUserAsync();
        using var admin = gateway.Admin();
        using var disable = await admin.PatchAsJsonAsync($"/v1/users/{user.Id}", new { disabled = true });
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Client.GetAsync("/v1/tasks")).StatusCode);
        using var enable = await admin.PatchAsJsonAsync($"/v1/users/{user.Id}", new { disabled = false });
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/v1/tasks")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/v1/users")]
    [InlineData("POST", "/v1/users")]
    public async Task A_users_key_on_an_admin_route_gets_403(string method, string path)
    {
        var user = await gateway.NewUserAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { name = "x" }) };
        using var response = await user.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await gateway.Database.ScalarAsync<long>("select count(*) from users where name = 'x'"));
    }

    [Fact]
    public async Task The_owner_of_a_task_is_the_caller_and_only_admins_act_for_others()
    {
        var alice = await gateway.NewUserAsync();
        var bob = await gateway.NewUserAsync();
        using var own = await alice.Client.PostAsJsonAsync("/v1/tasks", new { objective = "o", language = "python" });
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(alice.Id, (string)(await own.Content.ReadFromJsonAsync<JsonObject>())!["user_id"]!);

        using var forBob = await alice.Client.PostAsJsonAsync("/v1/tasks", new { user_id = bob.Id, objective = "o", language = "python" });
        Assert.Equal(HttpStatusCode.Forbidden, forBob.StatusCode);

        using var admin = gateway.Admin();
        using var adminForBob = await admin.PostAsJsonAsync("/v1/tasks", new { user_id = bob.Id, objective = "o", language = "python" });
        Assert.Equal(HttpStatusCode.Created, adminForBob.StatusCode);
        Assert.Equal(bob.Id, (string)(await adminForBob.Content.ReadFromJsonAsync<JsonObject>())!["user_id"]!);

        using var forNobody = await admin.PostAsJsonAsync("/v1/tasks", new { user_id = "no-such-user", objective = "o", language = "python" });
        Assert.Equal(HttpStatusCode.BadRequest, forNobody.StatusCode);
        Assert.Equal(1, await gateway.Database.ScalarAsync<long>("select count(*) from tasks where user_id = @id", ("id", bob.Id)));
    }
}
