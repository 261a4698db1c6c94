using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using TaskGrid.Tests.Functional.Support;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// Bob against Alice's resources, on every route of the OpenAPI document: a route that names
/// one of hers by id answers as if it did not exist (404, or 403 where only admins may call),
/// changes nothing in the database, and no answer Bob gets carries anything of hers.
/// </summary>
public sealed class IsolationTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task Every_route_naming_another_users_resource_answers_as_for_none_and_changes_nothing()
    {
        var (_, alices, bob, document) = await SetUpAsync();
        var routes = document.Routes.Where(r => r.NamesResource).ToList();
        Assert.NotEmpty(routes);
        var failures = new List<string>();
        var before = await DatabaseSnapshot.TakeAsync(gateway.Database);

        foreach (var route in routes)
        {
            var path = route.Fill(p => alices.PathId(route, p));
            var (status, body) = await SendAsync(bob.Client, route, path, document);
            var (statusForNone, _) = await SendAsync(bob.Client, route, route.Fill(p => NonexistentLike(alices.PathId(route, p))), document);
            if (route.PathParameters.Any(p => OwnedResources.SharedSegments.Contains(route.SegmentBefore(p))))
            {
                // The cluster's own resource: Bob may read it, and only an admin may change it.
                var expected = route.Method == "GET" ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
                if (status != expected)
                {
                    failures.Add($"{route.Name} as Bob on the shared {path} answered {(int)status}, not {(int)expected}: {Shorten(body)}");
                }
            }
            else if (status is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden))
            {
                failures.Add($"{route.Name} as Bob on {path} answered {(int)status}, not 404 or 403: {Shorten(body)}");
            }
            else if (status != statusForNone)
            {
                failures.Add($"{route.Name} answers Bob {(int)status} for Alice's resource but {(int)statusForNone} for one that does not exist: the answer reveals that hers exists.");
            }
            failures.AddRange(Leaks(route, body, alices, except: path));
        }

        failures.AddRange(before.Differences(await DatabaseSnapshot.TakeAsync(gateway.Database)).Select(c => "Bob's requests changed the database: " + c));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_owner_reaches_every_route_that_names_her_resources_so_the_ids_used_above_are_right()
    {
        var (alice, alices, _, document) = await SetUpAsync();
        foreach (var route in document.Routes.Where(r => r.NamesResource && r.Method == "GET"))
        {
            var path = route.Fill(p => alices.PathId(route, p));
            using var response = await alice.Client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route.Name} as Alice on {path} answered {(int)response.StatusCode}.");
        }
    }

    [Fact]
    public async Task Lists_and_creates_answer_another_user_with_nothing_of_theirs()
    {
        var (_, alices, bob, document) = await SetUpAsync();
        var failures = new List<string>();
        var alicesRowsBefore = await DatabaseSnapshot.TakeAsync(gateway.Database, alices.UserId);

        foreach (var route in document.Routes.Where(r => !r.NamesResource))
        {
            var queries = route.QueryParameters
                .Select(p => alices.QueryId(route, p) is { } id ? $"?{p.Name}={Uri.EscapeDataString(id)}" : null)
                .OfType<string>()
                .Prepend("");
            foreach (var query in queries)
            {
                var (status, body) = await SendAsync(bob.Client, route, route.Template + query, document);
                if ((int)status >= 500 || status is HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{route.Name}{query} as Bob answered {(int)status}: {Shorten(body)}");
                }
                failures.AddRange(Leaks(route, body, alices, except: query));
            }
        }

        failures.AddRange(alicesRowsBefore.Differences(await DatabaseSnapshot.TakeAsync(gateway.Database, alices.UserId)).Select(c => "Bob's requests changed Alice's rows: " + c));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Query_filters_naming_another_user_or_their_grid_show_nothing_of_theirs()
    {
        var (_, alices, bob, _) = await SetUpAsync();

        var byUser = await bob.Client.GetFromJsonAsync<JsonObject>($"/v1/tasks?user_id={alices.UserId}");
        Assert.Empty(byUser!["items"]!.AsArray());
        var gridsByUser = await bob.Client.GetFromJsonAsync<JsonObject>($"/v1/grids?user_id={alices.UserId}");
        Assert.Empty(gridsByUser!["items"]!.AsArray());
        using var byGrid = await bob.Client.GetAsync($"/v1/tasks?grid_id={alices.GridId}");
        Assert.Equal(HttpStatusCode.NotFound, byGrid.StatusCode);
        using var byGridAndStatus = await bob.Client.GetAsync($"/v1/tasks?grid_id={alices.GridId}&status=pending&user_id={alices.UserId}");
        Assert.Equal(HttpStatusCode.NotFound, byGridAndStatus.StatusCode);

        // The same filters as an admin do find her tasks: the checks above can see a leak.
        using var admin = gateway.Admin();
        var asAdmin = await admin.GetStringAsync($"/v1/tasks?user_id={alices.UserId}");
        Assert.Contains(alices.TaskId, asAdmin, StringComparison.Ordinal);
        Assert.Contains(alices.GridTaskIds[0], await admin.GetStringAsync($"/v1/tasks?grid_id={alices.GridId}"), StringComparison.Ordinal);
    }

    private async Task<(TestUser Alice, OwnedResources Alices, TestUser Bob, ApiDocument Document)> SetUpAsync()
    {
        var alice = await gateway.NewUserAsync(name: "alice");
        var bob = await gateway.NewUserAsync(name: "bob");
        using var admin = gateway.Admin();
        var alices = await ResourceSeeder.SeedAsync(admin, alice, "alice-" + Guid.NewGuid().ToString("N"));
        using var anonymous = gateway.ClientWithKey(null);
        return (alice, alices, bob, await ApiDocument.LoadAsync(anonymous));
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, ApiRoute route, string path, ApiDocument document)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
        if (route.BodySchema is not null)
        {
            var body = ValidBodies.For(document, route.BodySchema, "bob-" + Guid.NewGuid().ToString("N"));
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    // Anything of Alice's in an answer, except what Bob put in the request himself (a 404 names the id it did not find).
    private static IEnumerable<string> Leaks(ApiRoute route, string body, OwnedResources alices, string except) =>
        alices.Traces
            .Where(trace => !except.Contains(trace, StringComparison.Ordinal) && body.Contains(trace, StringComparison.Ordinal))
            .Select(trace => $"{route.Name} showed Bob '{trace}' of Alice's: {Shorten(body)}");

    private static string NonexistentLike(string id) => Guid.TryParse(id, out _) ? Guid.NewGuid().ToString() : "nobody-" + Guid.NewGuid().ToString("N");

    private static string Shorten(string body) => body.Length <= 400 ? body : body[..400] + "…";
}
