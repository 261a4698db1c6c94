using TaskGrid.Testing;
using TaskGrid.Tests.Deployment.Support;

namespace TaskGrid.Tests.Deployment.Manifests;

/// <summary>Every overlay renders with kubectl kustomize, and everything it renders is a valid API object.</summary>
public sealed class SchemaValidationTests
{
    [Fact]
    public void The_dev_and_production_overlays_exist()
    {
        Assert.Contains("dev", RenderedOverlay.Names);
        Assert.Contains("production", RenderedOverlay.Names);
    }

    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task Every_rendered_object_validates_against_the_API_schemas(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        Assert.NotEmpty(rendered.Objects);

        var result = await ManifestValidator.ValidateAsync(rendered.File);

        Assert.True(result.ExitCode == 0, $"{overlay} does not validate:\n{result.Output}");
        Assert.Contains($"checked {rendered.Objects.Count} objects", result.StandardOutput, StringComparison.Ordinal);
    }

    // The check above is only worth something if the validator can fail: feed it the mistakes
    // hand-written manifests actually contain.
    [Fact]
    public async Task The_validator_rejects_misspelt_fields_wrong_types_and_kinds_it_cannot_check()
    {
        var file = Path.Combine(TestEnvironment.RepositoryRoot, ".taskgrid", "k8s-rendered", "deliberately-broken.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: broken}
            spec:
              selector: {matchLabels: {app: broken}}
              template:
                metadata: {labels: {app: broken}}
                spec:
                  containers:
                    - name: app
                      image: example
                      readinesProbe: {tcpSocket: {port: 8080}}
                      ports: [{containerPort: "8080"}]
            ---
            apiVersion: postgresql.cnpg.io/v1
            kind: Cluster
            metadata: {name: broken}
            spec:
              instances: 3
              postgresql: {parameters: {max_connections: 400}}
              storage: {sise: 1Gi}
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: broken}
            """);

        var result = await ManifestValidator.ValidateAsync(file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown field \"readinesProbe\" in IContainer", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("containerPort must be integer", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("max_connections must be string", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"sise\"", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("no schema for example.com/v1/Widget", result.StandardOutput, StringComparison.Ordinal);
    }
}
