using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using TaskGrid.Testing;
using TaskGrid.Tests.Functional.Support;
using Xunit.Abstractions;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// Thousands of generated hostile requests against every route of the OpenAPI document. None
/// may answer 5xx or hang, every error is problem+json, and afterwards the database holds
/// exactly what the successful requests were told they wrote: the rows they created and the
/// versions they moved, so a refused request that wrote or changed a row is caught.
/// </summary>
public sealed class HostileInputTests(HostileInputGateway gateway, ITestOutputHelper output) : IClassFixture<HostileInputGateway>
{
    /// <summary>Change it to explore; a failure prints the requests, and the same seed sends them again.</summary>
    private const int Seed = 20_261_122;

    /// <summary>Requests that each combine several hostile fields, beyond one request per hostile case.</summary>
    private const int Combinations = 2_000;

    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Every_route_refuses_hostile_input_clearly_in_time_and_writes_only_what_valid_requests_were_told()
    {
        var caller = await gateway.NewUserAsync(name: "hostile caller");
        var other = await gateway.NewUserAsync(name: "another user");
        var usersRouteTarget = await gateway.NewUserAsync(name: "target of user routes");
        var keys = new Dictionary<string, string>
        {
            [HostileRequestGenerator.Admin] = GatewayFactory.AdminKey,
            [HostileRequestGenerator.User] = caller.Key,
            [HostileRequestGenerator.UserTruncated] = caller.Key[..^1],
            [HostileRequestGenerator.OtherUser] = other.Key,
            [HostileRequestGenerator.Revoked] = await RevokedKeyAsync(),
            [HostileRequestGenerator.Disabled] = await DisabledUsersKeyAsync(),
        };
        using var admin = gateway.Admin();
        OwnedResources[] own =
        [
            await ResourceSeeder.SeedAsync(admin, caller, "hostile-own-1", usersRouteTarget.Id),
            await ResourceSeeder.SeedAsync(admin, caller, "hostile-own-2", usersRouteTarget.Id),
        ];
        var others = await ResourceSeeder.SeedAsync(admin, other, "hostile-other");

        using var client = gateway.ClientWithKey(null);
        var document = await ApiDocument.LoadAsync(client);
        var anonymous = await AnonymousRoutesAsync(client, document);
        var requests = new HostileRequestGenerator(document, new Random(Seed), own, others, HostileInputGateway.MaxBodyBytes).Generate(Combinations);
        var before = await CountAsync();

        var started = Stopwatch.GetTimestamp();
        var outcomes = new ConcurrentBag<ProbeOutcome>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, _) =>
            outcomes.Add(await HostileProbe.SendAsync(client, request, keys, s_deadline, anonymous.Contains(request.Route))));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var answered = outcomes.ToArray();

        var report = Report(document, answered, elapsed);
        output.WriteLine(report);
        var reportPath = Path.Combine(TestEnvironment.RepositoryRoot, ".taskgrid", "test-results", "hostile-input-report.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(reportPath)!);
        await File.WriteAllTextAsync(reportPath, report);

        var failures = answered.Where(o => o.Failure is not null).OrderBy(o => o.Request.Route, StringComparer.Ordinal).ToList();
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {answered.Length} hostile requests got an unacceptable answer (seed {Seed}):\n" +
            string.Join("\n", failures.Take(40).Select(f => f.Describe())) +
            "\nThe gateway's errors, each kind once:\n" + string.Join("\n", gateway.Logs.Lines
                .Where(line => line.StartsWith("Error", StringComparison.Ordinal))
                .Select(line => line.Length > 600 ? line[..600] : line)
                .DistinctBy(line => line.Length > 160 ? line[..160] : line)
                .Take(20)));

        await AssertDatabaseHoldsExactlyWhatWasWrittenAsync(before, answered);
        Assert.Equal(HttpStatusCode.OK, (await caller.Client.GetAsync("/v1/users/me")).StatusCode);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Unhandled error", StringComparison.Ordinal));
        foreach (var key in new[] { caller.Key, other.Key, GatewayFactory.AdminKey })
        {
            Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(key, StringComparison.Ordinal));
        }
    }

    private async Task AssertDatabaseHoldsExactlyWhatWasWrittenAsync(Dictionary<string, (long Rows, long Versions)> before, IEnumerable<ProbeOutcome> outcomes)
    {
        var writes = outcomes.SelectMany(o => WrittenRows.Of(o.Request.Route, o.Status, o.Body)).ToList();
        var after = await CountAsync();
        foreach (var table in WrittenRows.Tables)
        {
            var rows = writes.Where(w => w.Table == table).Sum(w => w.Rows);
            var versions = writes.Where(w => w.Table == table).Sum(w => w.Versions);
            Assert.True(after[table].Rows == before[table].Rows + rows,
                $"{table}: {before[table].Rows} rows before, {rows} added according to the answers, but {after[table].Rows} rows after.");
            Assert.True(after[table].Versions == before[table].Versions + versions,
                $"{table}: rows had moved {before[table].Versions} versions before, {versions} more according to the answers, but {after[table].Versions} after.");
            var ids = writes.Where(w => w.Table == table && w.Id is not null).Select(w => w.Id!).ToArray();
            Assert.Equal(ids.Length, await gateway.Database.ScalarAsync<long>($"select count(*) from {table} where id::text = any(@ids)", ("ids", ids)));
        }
        Assert.Equal(0, await gateway.Database.ScalarAsync<long>(
            "select count(*) from tasks t where not exists (select 1 from users u where u.id = t.user_id)"));
        Assert.Equal(0, await gateway.Database.ScalarAsync<long>(
            "select count(*) from grids g where not exists (select 1 from users u where u.id = g.user_id)"));
        Assert.Equal(0, await gateway.Database.ScalarAsync<long>(
            "select count(*) from task_events e where not exists (select 1 from tasks t where t.id = e.task_id)"));
        Assert.Equal(0, await gateway.Database.ScalarAsync<long>(
            "select count(*) from tasks t where not exists (select 1 from task_events e where e.task_id = t.id)"));
    }

    // Rows, and versions moved since insertion, of every table the API writes.
    private async Task<Dictionary<string, (long Rows, long Versions)>> CountAsync()
    {
        var counts = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        foreach (var table in WrittenRows.Tables)
        {
            counts[table] = (await gateway.Database.ScalarAsync<long>($"select count(*) from {table}"),
                             await gateway.Database.ScalarAsync<long>($"select coalesce(sum(version - 1), 0) from {table}"));
        }
        return counts;
    }

    // Routes that answer without a key, where "bad key" cases need not be 401.
    private static async Task<HashSet<string>> AnonymousRoutesAsync(HttpClient client, ApiDocument document)
    {
        var anonymous = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in document.Routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Fill(_ => Guid.NewGuid().ToString()));
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                anonymous.Add(route.Name);
            }
        }
        return anonymous;
    }

    private async Task<string> RevokedKeyAsync()
    {
        var user = await gateway.NewUserAsync(name: "revoked key");
        using var admin = gateway.Admin();
        (await admin.DeleteAsync($"/v1/api-keys/{user.KeyId}")).EnsureSuccessStatusCode();
        return user.Key;
    }

    private async Task<string> DisabledUsersKeyAsync()
    {
        var user = await gateway.NewUserAsync(name: "disabled user");
        using var admin = gateway.Admin();
        (await admin.PatchAsJsonAsync($"/v1/users/{user.Id}", new { disabled = true })).EnsureSuccessStatusCode();
        return user.Key;
    }

    private static string Report(ApiDocument document, ProbeOutcome[] outcomes, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Hostile input suite (seed {Seed}): {outcomes.Length} requests against {document.Routes.Count} routes of /openapi/v1.json in {elapsed.TotalSeconds:F1} s.");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Answered 5xx: {outcomes.Count(o => o.Status >= 500)}; no answer within {s_deadline.TotalSeconds:F0} s: {outcomes.Count(o => o.Status == 0)}; unacceptable answers in all: {outcomes.Count(o => o.Failure is not null)}; slowest answer: {outcomes.Max(o => o.Elapsed).TotalMilliseconds:F0} ms.");
        text.AppendLine("By status: " + string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} × {g.Count()}"))));
        text.AppendLine("By kind of case: " + string.Join(", ", outcomes.GroupBy(o => o.Request.Case.Split(' ', ':')[0]).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()}"))));
        text.AppendLine("By route:");
        foreach (var route in outcomes.GroupBy(o => o.Request.Route).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var statuses = string.Join(", ", route.GroupBy(o => o.Status).OrderBy(g => g.Key)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} × {g.Count()}")));
            text.AppendLine(CultureInfo.InvariantCulture, $"  {route.Key}: {route.Count()} requests; {statuses}");
        }
        return text.ToString();
    }
}
