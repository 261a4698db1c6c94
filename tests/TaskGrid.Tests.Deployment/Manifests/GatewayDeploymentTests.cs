using TaskGrid.Tests.Deployment.Support;

namespace TaskGrid.Tests.Deployment.Manifests;

/// <summary>The gateway: a Deployment probed on /v1/status, reached through its Service and the Ingress.</summary>
public sealed class GatewayDeploymentTests
{
    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task Readiness_is_the_status_endpoint_on_the_http_port(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var gateway = rendered.Component("gateway");
        Assert.Equal("Deployment", gateway.Kind);

        var container = Assert.Single(gateway.MainContainers);
        var port = Assert.Single(container["ports"].Items, p => p["name"].Text == "http");
        Assert.Equal("/v1/status", container["readinessProbe"]["httpGet"]["path"].Text);
        Assert.Equal("http", container["readinessProbe"]["httpGet"]["port"].Text);
        Assert.Equal("/livez", container["livenessProbe"]["httpGet"]["path"].Text);
        Assert.Equal("http", container["livenessProbe"]["httpGet"]["port"].Text);
        Assert.Equal($"http://+:{port["containerPort"].Text}", PodEnvironment.Value(rendered, container, "ASPNETCORE_URLS"));
    }

    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task The_ingress_reaches_the_gateway_pods_through_their_service(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var gateway = rendered.Component("gateway");
        var containerPorts = gateway.MainContainers.SelectMany(c => c["ports"].Items).Select(p => p["name"].Text).ToHashSet();

        var ingress = Assert.Single(rendered.Objects, o => o.Kind == "Ingress");
        var backends = ingress.Spec["rules"].Items.SelectMany(r => r["http"]["paths"].Items).Select(p => p["backend"]["service"]).ToList();
        Assert.NotEmpty(backends);
        foreach (var backend in backends)
        {
            var service = rendered.Get("Service", backend["name"].Text!);
            Assert.True(LabelSelector.MapSelects(service.Spec["selector"], gateway.PodLabels), $"Service {service.Name} does not select the gateway pods.");
            var port = Assert.Single(service.Spec["ports"].Items, p => p["name"].Text == backend["port"]["name"].Text);
            Assert.Contains(port["targetPort"].Text, containerPorts);
        }
    }

    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task A_disruption_budget_keeps_gateways_serving_through_node_drains(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var gateway = rendered.Component("gateway");

        Assert.Single(rendered.Objects, o => o.Kind == "PodDisruptionBudget" && LabelSelector.Selects(o.Spec["selector"], gateway.PodLabels));
    }
}
