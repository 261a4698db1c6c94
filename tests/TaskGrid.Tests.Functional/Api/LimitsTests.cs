using System.Net;
using System.Net.Http.Json;
using TaskGrid.Tests.Functional.Support;

namespace TaskGrid.Tests.Functional.Api;

/// <summary>A gateway with tight limits: a small bulk cap, pending cap and body size.</summary>
public sealed class TightLimitsGateway : GatewayFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["TaskGrid:Tasks:MaxTasksPerCall"] = "50",
        ["TaskGrid:Tasks:MaxPendingTasksPerUser"] = "60",
        ["TaskGrid:Gateway:MaxRequestBodyBytes"] = "65536",
    };
}

public sealed class LimitsTests(TightLimitsGateway gateway) : IClassFixture<TightLimitsGateway>
{
    [Fact]
    public async Task Too_many_tasks_in_one_call_is_413_and_adds_nothing()
    {
        using var admin = gateway.Admin();
        var grid = await (await admin.PostAsJsonAsync("/v1/grids", new { name = "capped" })).Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        var tooMany = Enumerable.Range(0, 51).Select(_ => new { kind = "noop" }).ToArray();
        using var response = await admin.PostAsJsonAsync($"/v1/grids/{grid!["id"]}/tasks", tooMany);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most 50", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await gateway.Database.ScalarAsync<long>("select count(*) from tasks where grid_id = @id", ("id", Guid.Parse((string)grid["id"]!))));
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413()
    {
        using var admin = gateway.Admin();
        var body = System.Text.Json.JsonSerializer.Serialize(new { objective = new string('x', 70_000), language = "python" });
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync("/v1/tasks", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Submissions_past_the_pending_cap_get_429_and_add_nothing()
    {
        using var admin = gateway.Admin();
        var created = await admin.PostAsJsonAsync("/v1/users", new { name = "capped user" });
        var userId = (string)(await created.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["id"]!;
        var grid = await (await admin.PostAsJsonAsync("/v1/grids", new { name = "cap", user_id = userId })).Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        var fifty = Enumerable.Range(0, 50).Select(_ => new { kind = "noop" }).ToArray();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync($"/v1/grids/{grid!["id"]}/tasks", fifty)).StatusCode);
        using var over = await admin.PostAsJsonAsync($"/v1/grids/{grid["id"]}/tasks", fifty[..20]);
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Contains("at most 60", await over.Content.ReadAsStringAsync());
        Assert.Equal(50, await gateway.Database.ScalarAsync<long>("select count(*) from tasks where user_id = @id", ("id", userId)));
    }

    [Fact]
    public async Task Single_submissions_past_the_pending_cap_get_429_and_add_nothing()
    {
        // The owner's own submission is one statement pair in one implicit transaction; an admin's
        // on the owner's behalf goes through a transaction of its own. Both must refuse and roll back.
        var user = await gateway.NewUserAsync();
        var grid = await (await user.Client.PostAsJsonAsync("/v1/grids", new { name = "cap single" })).Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        var fifty = Enumerable.Range(0, 50).Select(_ => new { kind = "noop" }).ToArray();
        Assert.Equal(HttpStatusCode.Created, (await user.Client.PostAsJsonAsync($"/v1/grids/{grid!["id"]}/tasks", fifty)).StatusCode);
        for (var i = 0; i < 10; i++)
        {
            using var accepted = await user.Client.PostAsJsonAsync("/v1/tasks", new { kind = "noop" });
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        }

        using var own = await user.Client.PostAsJsonAsync("/v1/tasks", new { kind = "noop" });
        Assert.Equal(HttpStatusCode.TooManyRequests, own.StatusCode);
        Assert.Contains($"User '{user.Id}' has 60 pending tasks and may have at most 60", await own.Content.ReadAsStringAsync());
        using var admin = gateway.Admin();
        using var onBehalf = await admin.PostAsJsonAsync("/v1/tasks", new { kind = "noop", user_id = user.Id });
        Assert.Equal(HttpStatusCode.TooManyRequests, onBehalf.StatusCode);

        Assert.Equal(60, await gateway.Database.ScalarAsync<long>("select count(*) from tasks where user_id = @id", ("id", user.Id)));
        Assert.Equal(60, await gateway.Database.ScalarAsync<long>("select sum(count)::bigint from user_pending where user_id = @id", ("id", user.Id)));
    }
}

/// <summary>A gateway allowing 5 requests per second per key.</summary>
public sealed class RateLimitedGateway : GatewayFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["TaskGrid:Gateway:RateLimit:PermitsPerSecond"] = "5",
        ["TaskGrid:Gateway:RateLimit:Burst"] = "5",
    };
}

public sealed class RateLimitTests(RateLimitedGateway gateway) : IClassFixture<RateLimitedGateway>
{
    [Fact]
    public async Task A_key_past_its_rate_gets_429_with_retry_after()
    {
        var user = await gateway.NewUserAsync();
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            statuses.Add(await user.Client.GetAsync("/v1/tasks"));
        }
        var limited = statuses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.Equal("application/problem+json", limited[0].Content.Headers.ContentType?.MediaType);
    }
}
