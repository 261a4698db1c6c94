using TaskGrid.Tests.Deployment.Support;

namespace TaskGrid.Tests.Deployment.Manifests;

/// <summary>Names that point at other objects point at objects the overlay renders.</summary>
public sealed class ReferenceTests
{
    // CloudNativePG writes the application owner's credentials to "<cluster>-app" (unless
    // bootstrap.initdb.secret names another Secret): not rendered, but there once the Cluster is.
    private static readonly string[] s_cnpgAppSecretKeys = ["username", "password", "host", "port", "dbname", "uri", "jdbc-uri", "pgpass"];

    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task Every_referenced_secret_config_map_and_key_exists(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var secrets = Keys(rendered, "Secret");
        foreach (var cluster in rendered.Objects.Where(o => o.Kind == "Cluster" && o.ApiVersion.StartsWith("postgresql.cnpg.io/", StringComparison.Ordinal)))
        {
            if (!cluster.Spec["bootstrap"]["initdb"]["secret"].Exists)
            {
                secrets[$"{cluster.Name}-app"] = [.. s_cnpgAppSecretKeys];
            }
        }
        var configMaps = Keys(rendered, "ConfigMap");
        var problems = new Problems(overlay);

        foreach (var (owner, kind, name, key) in References(rendered))
        {
            var known = kind switch
            {
                "Secret" => secrets,
                "ConfigMap" => configMaps,
                _ => rendered.Objects.Where(o => o.Kind == kind).ToDictionary(o => o.Name, _ => new HashSet<string>()),
            };
            if (!known.TryGetValue(name, out var keys))
            {
                problems.Check(false, $"{owner} refers to {kind} {name}, which the overlay does not render");
            }
            else if (key is not null)
            {
                problems.Check(keys.Contains(key), $"{owner} refers to key {key} of {kind} {name}, which has only: {string.Join(", ", keys)}");
            }
        }
        problems.AssertNone();
    }

    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task Every_namespaced_object_lands_in_the_overlays_namespace(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var ns = Assert.Single(rendered.Objects, o => o.Kind == "Namespace");
        var problems = new Problems(overlay);
        foreach (var item in rendered.Objects.Where(o => o.Kind != "Namespace"))
        {
            problems.Check(item.Namespace == ns.Name, $"{item} is in namespace '{item.Namespace}', not {ns.Name}");
        }
        problems.AssertNone();
    }

    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task Autoscalers_target_workloads_that_exist_and_never_two_the_same(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var autoscalers = rendered.Objects.Where(o => o.Kind is "HorizontalPodAutoscaler" or "ScaledObject").ToList();
        foreach (var autoscaler in autoscalers)
        {
            var target = autoscaler.Spec["scaleTargetRef"];
            var workload = rendered.Get(target["kind"].Text ?? "Deployment", target["name"].Text!);
            // A replica count in the manifest would reset the autoscaler's choice on every apply.
            Assert.False(workload.Spec["replicas"].Exists, $"{workload} is autoscaled by {autoscaler} but sets spec.replicas.");
        }
        var targets = autoscalers.Select(a => $"{a.Spec["scaleTargetRef"]["kind"]}/{a.Spec["scaleTargetRef"]["name"]}").ToList();
        Assert.Equal(targets.Distinct().Count(), targets.Count);
        if (rendered.IsProduction)
        {
            Assert.Contains("StatefulSet/silo", targets);
        }
    }

    private static Dictionary<string, HashSet<string>> Keys(RenderedOverlay rendered, string kind) =>
        rendered.Objects.Where(o => o.Kind == kind).ToDictionary(
            o => o.Name,
            o => o.Root["data"].Entries.Concat(o.Root["stringData"].Entries).Select(e => e.Key).ToHashSet());

    private static IEnumerable<(string Owner, string Kind, string Name, string? Key)> References(RenderedOverlay rendered)
    {
        foreach (var workload in rendered.Workloads)
        {
            foreach (var container in workload.Containers)
            {
                var owner = $"{workload} container {container["name"]}";
                foreach (var variable in container["env"].Items)
                {
                    var secret = variable["valueFrom"]["secretKeyRef"];
                    if (secret.Exists)
                    {
                        yield return (owner, "Secret", secret["name"].Text!, secret["key"].Text);
                    }
                    var map = variable["valueFrom"]["configMapKeyRef"];
                    if (map.Exists)
                    {
                        yield return (owner, "ConfigMap", map["name"].Text!, map["key"].Text);
                    }
                }
                foreach (var source in container["envFrom"].Items)
                {
                    if (source["secretRef"].Exists)
                    {
                        yield return (owner, "Secret", source["secretRef"]["name"].Text!, null);
                    }
                    if (source["configMapRef"].Exists)
                    {
                        yield return (owner, "ConfigMap", source["configMapRef"]["name"].Text!, null);
                    }
                }
            }
            foreach (var volume in workload.PodSpec["volumes"].Items)
            {
                if (volume["secret"].Exists)
                {
                    yield return ($"{workload} volume {volume["name"]}", "Secret", volume["secret"]["secretName"].Text!, null);
                }
                if (volume["configMap"].Exists)
                {
                    yield return ($"{workload} volume {volume["name"]}", "ConfigMap", volume["configMap"]["name"].Text!, null);
                }
            }
        }
        foreach (var auth in rendered.Objects.Where(o => o.Kind == "TriggerAuthentication"))
        {
            foreach (var target in auth.Spec["secretTargetRef"].Items)
            {
                yield return ($"{auth}", "Secret", target["name"].Text!, target["key"].Text);
            }
        }
        foreach (var scaled in rendered.Objects.Where(o => o.Kind == "ScaledObject"))
        {
            foreach (var trigger in scaled.Spec["triggers"].Items.Where(t => t["authenticationRef"].Exists))
            {
                yield return ($"{scaled}", "TriggerAuthentication", trigger["authenticationRef"]["name"].Text!, null);
            }
        }
    }
}
