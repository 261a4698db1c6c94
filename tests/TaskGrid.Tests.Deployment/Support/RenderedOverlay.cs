using System.Collections.Concurrent;
using TaskGrid.Testing;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace TaskGrid.Tests.Deployment.Support;

/// <summary>
/// A kustomize overlay under k8s/overlays, rendered once per test run by the real
/// <c>kubectl kustomize</c> into .taskgrid/k8s-rendered/NAME.yaml and parsed.
/// </summary>
public sealed class RenderedOverlay
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<RenderedOverlay>>> s_rendered = new();

    private RenderedOverlay(string name, string file, IReadOnlyList<K8sObject> objects)
    {
        Name = name;
        File = file;
        Objects = objects;
    }

    public static string OverlaysDirectory => Path.Combine(TestEnvironment.RepositoryRoot, "k8s", "overlays");

    /// <summary>Every overlay: a folder under k8s/overlays with a kustomization.yaml.</summary>
    public static IReadOnlyList<string> Names =>
        [.. Directory.GetDirectories(OverlaysDirectory)
            .Where(dir => System.IO.File.Exists(Path.Combine(dir, "kustomization.yaml")))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)];

    public static TheoryData<string> All => [.. Names];

    public static TheoryData<string> Production => [.. Names.Where(n => n.StartsWith("production", StringComparison.Ordinal))];

    public string Name { get; }

    /// <summary>The rendered YAML on disk.</summary>
    public string File { get; }

    public IReadOnlyList<K8sObject> Objects { get; }

    public bool IsProduction => Name.StartsWith("production", StringComparison.Ordinal);

    public IEnumerable<K8sObject> Workloads => Objects.Where(o => o.IsWorkload);

    public static Task<RenderedOverlay> GetAsync(string name) =>
        s_rendered.GetOrAdd(name, n => new Lazy<Task<RenderedOverlay>>(() => RenderAsync(n))).Value;

    public K8sObject Get(string kind, string name) =>
        Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"Overlay {Name} renders no {kind}/{name}; it has: {string.Join(", ", Objects)}");

    public K8sObject? Find(string kind, string name) => Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name);

    /// <summary>The workload whose pods have <c>app.kubernetes.io/component</c> = <paramref name="component"/>.</summary>
    public K8sObject Component(string component) =>
        Workloads.SingleOrDefault(w => w.PodLabels.GetValueOrDefault("app.kubernetes.io/component") == component)
        ?? throw new Xunit.Sdk.XunitException($"Overlay {Name} has no workload with component={component}.");

    private static async Task<RenderedOverlay> RenderAsync(string name)
    {
        var directory = Path.Combine(OverlaysDirectory, name);
        string[] args = ["kustomize", directory];
        var result = await ExternalTool.RunAsync("kubectl", args, TestEnvironment.RepositoryRoot, TimeSpan.FromMinutes(1),
            "Install kubectl (its built-in kustomize renders the overlays offline), for example `apt-get install kubectl` or the binary from the Kubernetes release page, and put it on PATH.");
        if (result.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException(ExternalTool.Describe("kubectl", args, result));
        }
        var outputDirectory = Path.Combine(TestEnvironment.RepositoryRoot, ".taskgrid", "k8s-rendered");
        Directory.CreateDirectory(outputDirectory);
        var file = Path.Combine(outputDirectory, $"{name}.yaml");
        await System.IO.File.WriteAllTextAsync(file, result.StandardOutput);
        return new RenderedOverlay(name, file, Parse(result.StandardOutput));
    }

    private static List<K8sObject> Parse(string yaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        var objects = new List<K8sObject>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (deserializer.Deserialize<object?>(parser) is { } document)
            {
                objects.Add(new K8sObject(new Node(document)));
            }
        }
        return objects;
    }
}
