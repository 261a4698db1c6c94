using System.Globalization;
using TaskGrid.Testing;
using TaskGrid.Tests.Deployment.Support;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace TaskGrid.Tests.Deployment.Containers;

/// <summary>docker-compose.yml runs PostgreSQL, two distinctly named silos and the gateway, hardened like the pods.</summary>
public sealed class ComposeTests
{
    // The file shares settings through YAML anchors and merge keys (<<), which only the
    // merging parser resolves.
    private static readonly Node s_compose = new(new DeserializerBuilder().Build().Deserialize<object>(
        new MergingParser(new Parser(new StringReader(File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "docker-compose.yml")))))));

    private static IEnumerable<KeyValuePair<string, Node>> Silos =>
        s_compose["services"].Entries.Where(s => s.Value["build"]["dockerfile"].Text == "Silo/Dockerfile");

    [Fact]
    public void It_runs_postgres_two_silos_with_their_own_names_and_the_gateway()
    {
        var services = s_compose["services"];
        Assert.StartsWith("postgres:", services["postgres"]["image"].Text, StringComparison.Ordinal);
        Assert.Equal("Gateway/Dockerfile", services["gateway"]["build"]["dockerfile"].Text);
        var names = Silos.Select(s => s.Value["environment"]["TaskGrid__Silo__Name"].Text).ToList();
        Assert.Equal(2, names.Count);
        Assert.Equal(2, names.Distinct().Count());
    }

    [Fact]
    public void Silos_get_longer_to_stop_than_they_take_to_drain()
    {
        foreach (var (name, silo) in Silos)
        {
            var grace = TimeSpan.Parse(silo["environment"]["TaskGrid__Worker__ShutdownGracePeriod"].Text ?? "00:00:20", CultureInfo.InvariantCulture);
            var stop = TimeSpan.FromSeconds(int.Parse(silo["stop_grace_period"].Text!.TrimEnd('s'), CultureInfo.InvariantCulture));
            Assert.True(stop > grace + TimeSpan.FromSeconds(15), $"{name}: stop_grace_period {stop} does not cover the drain {grace} + 15 s.");
        }
    }

    [Fact]
    public void TaskGrid_containers_are_read_only_without_capabilities()
    {
        foreach (var (name, service) in s_compose["services"].Entries.Where(s => s.Key != "postgres"))
        {
            Assert.True(service["read_only"].IsTrue, $"{name} has a writable root filesystem.");
            Assert.Contains(service["cap_drop"].Items, c => c.Text == "ALL");
            Assert.Contains(service["tmpfs"].Items, t => t.Text == "/tmp");
        }
    }
}
