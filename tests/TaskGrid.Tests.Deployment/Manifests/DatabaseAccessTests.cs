using TaskGrid.Tests.Deployment.Support;

namespace TaskGrid.Tests.Deployment.Manifests;

/// <summary>The NetworkPolicies let silos and gateways reach PostgreSQL, and no other TaskGrid pod.</summary>
public sealed class DatabaseAccessTests
{
    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task Only_silos_and_gateways_may_connect_to_postgres(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var database = DatabasePodLabels(rendered);
        var policies = rendered.Objects
            .Where(o => o.Kind == "NetworkPolicy" && LabelSelector.Selects(o.Spec["podSelector"], database))
            .ToList();
        Assert.NotEmpty(policies);

        // Peers allowed on 5432 within the namespace (podSelector alone). Namespace-wide peers
        // (the CloudNativePG and KEDA operators) are checked by name below.
        var rules = policies.SelectMany(p => p.Spec["ingress"].Items).ToList();
        Assert.All(rules, rule => Assert.True(rule["from"].Items.Any(), "An ingress rule without 'from' admits every pod."));
        var podPeers = rules
            .Where(r => r["ports"].Items.Any(p => p["port"].Text == "5432"))
            .SelectMany(r => r["from"].Items)
            .Where(peer => peer["podSelector"].Exists && !peer["namespaceSelector"].Exists)
            .Select(peer => peer["podSelector"])
            .ToList();
        bool Admitted(IReadOnlyDictionary<string, string> labels) => podPeers.Any(selector => LabelSelector.Selects(selector, labels));

        Assert.True(Admitted(rendered.Component("silo").PodLabels), "Silos cannot reach PostgreSQL.");
        Assert.True(Admitted(rendered.Component("gateway").PodLabels), "Gateways cannot reach PostgreSQL.");
        var stranger = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "taskgrid", ["app.kubernetes.io/component"] = "debug-shell" };
        Assert.False(Admitted(stranger), "A TaskGrid pod that is neither silo nor gateway can reach PostgreSQL.");

        var namespacePeers = rules.SelectMany(r => r["from"].Items).Where(peer => peer["namespaceSelector"].Exists).ToList();
        Assert.All(namespacePeers, peer => Assert.True(
            peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"].Text is "cnpg-system" or "keda",
            "Only the CloudNativePG and KEDA operators' namespaces may reach the database."));
    }

    // Dev runs its own PostgreSQL pods; production's CloudNativePG instances get their labels
    // from the Cluster's inheritedMetadata (plus cnpg.io/cluster, which the operator sets).
    private static Dictionary<string, string> DatabasePodLabels(RenderedOverlay rendered)
    {
        if (rendered.Objects.SingleOrDefault(o => o.Kind == "Cluster" && o.ApiVersion.StartsWith("postgresql.cnpg.io/", StringComparison.Ordinal)) is { } cluster)
        {
            var labels = cluster.Spec["inheritedMetadata"]["labels"].StringMap.ToDictionary();
            labels["cnpg.io/cluster"] = cluster.Name;
            return labels;
        }
        return rendered.Component("database").PodLabels.ToDictionary();
    }
}
