using System.Globalization;
using TaskGrid.Tests.Deployment.Support;

namespace TaskGrid.Tests.Deployment.Manifests;

/// <summary>The silo StatefulSet: pod name as silo name, drain time, probes, governing Service, spread.</summary>
public sealed class SiloStatefulSetTests
{
    // The host's shutdown timeout is the drain grace plus this (SiloServiceCollectionExtensions).
    private static readonly TimeSpan s_hostShutdownMargin = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan s_defaultShutdownGrace = TimeSpan.FromSeconds(20);

    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task The_pod_name_is_passed_as_the_silo_name_through_the_downward_API(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var silo = rendered.Component("silo");
        Assert.Equal("StatefulSet", silo.Kind);

        var container = Assert.Single(silo.MainContainers);
        var name = Assert.Single(container["env"].Items, v => v["name"].Text == "TaskGrid__Silo__Name");
        Assert.Equal("metadata.name", name["valueFrom"]["fieldRef"]["fieldPath"].Text);
        Assert.False(name["value"].Exists, "TaskGrid__Silo__Name must not also have a literal value");
    }

    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task Kubernetes_waits_longer_than_a_silo_takes_to_drain_before_it_kills_it(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var silo = rendered.Component("silo");
        var container = Assert.Single(silo.MainContainers);

        var configured = PodEnvironment.Value(rendered, container, "TaskGrid__Worker__ShutdownGracePeriod");
        var grace = configured is null ? s_defaultShutdownGrace : TimeSpan.Parse(configured, CultureInfo.InvariantCulture);
        var terminationGrace = TimeSpan.FromSeconds(silo.PodSpec["terminationGracePeriodSeconds"].Number
            ?? throw new Xunit.Sdk.XunitException("The silo pods leave terminationGracePeriodSeconds at Kubernetes' 30 s default."));

        Assert.True(terminationGrace > grace + s_hostShutdownMargin,
            $"terminationGracePeriodSeconds ({terminationGrace.TotalSeconds} s) must exceed ShutdownGracePeriod ({grace.TotalSeconds} s) " +
            $"plus the host's {s_hostShutdownMargin.TotalSeconds} s, or Kubernetes kills silos before they hand their tasks back.");
    }

    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task Probes_use_the_health_port_the_silo_is_told_to_serve(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var container = Assert.Single(rendered.Component("silo").MainContainers);

        var port = Assert.Single(container["ports"].Items, p => p["name"].Text == "health");
        Assert.Equal(port["containerPort"].Text, PodEnvironment.Value(rendered, container, "TaskGrid__Silo__HealthPort"));
        Assert.Equal("/healthz", container["readinessProbe"]["httpGet"]["path"].Text);
        // Liveness must not depend on the database, or an outage restarts every silo at once.
        Assert.Equal("/livez", container["livenessProbe"]["httpGet"]["path"].Text);
        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
        {
            var action = container[probe]["httpGet"].Exists ? container[probe]["httpGet"] : container[probe]["tcpSocket"];
            Assert.True(action["port"].Text == "health", $"The silo's {probe} does not target the health port.");
        }
    }

    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task A_headless_service_governs_the_silo_pods(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var silo = rendered.Component("silo");

        var service = rendered.Get("Service", silo.Spec["serviceName"].Text ?? "(no serviceName)");
        Assert.Equal("None", service.Spec["clusterIP"].Text);
        Assert.True(LabelSelector.MapSelects(service.Spec["selector"], silo.PodLabels), "The governing Service does not select the silo pods.");
        Assert.True(LabelSelector.Selects(silo.Spec["selector"], silo.PodLabels), "The StatefulSet's selector does not select its own pods.");
    }

    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task One_disruption_budget_covers_the_silos_and_nothing_else(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var silo = rendered.Component("silo");
        var gateway = rendered.Component("gateway");

        var budget = Assert.Single(rendered.Objects, o => o.Kind == "PodDisruptionBudget" && LabelSelector.Selects(o.Spec["selector"], silo.PodLabels));
        Assert.False(LabelSelector.Selects(budget.Spec["selector"], gateway.PodLabels), "The silo PodDisruptionBudget also selects the gateways.");
        Assert.True(budget.Spec["maxUnavailable"].Exists || budget.Spec["minAvailable"].Exists);
    }

    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task Silos_and_gateways_spread_across_nodes(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        foreach (var workload in new[] { rendered.Component("silo"), rendered.Component("gateway") })
        {
            var constraints = workload.PodSpec["topologySpreadConstraints"].Items.ToList();
            Assert.True(
                constraints.Any(c => c["topologyKey"].Text == "kubernetes.io/hostname" && LabelSelector.Selects(c["labelSelector"], workload.PodLabels)),
                $"{workload} has no spread constraint over kubernetes.io/hostname that selects its own pods.");
        }
    }
}
