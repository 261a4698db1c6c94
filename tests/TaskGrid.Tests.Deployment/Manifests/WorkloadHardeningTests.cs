using TaskGrid.Tests.Deployment.Support;

namespace TaskGrid.Tests.Deployment.Manifests;

/// <summary>
/// Every container of every workload (silos, gateways, the dev database) is probed, bounded
/// and locked down: non-root, read-only root filesystem, no privilege escalation, no
/// capabilities, the runtime's seccomp profile, no service account token.
/// </summary>
public sealed class WorkloadHardeningTests
{
    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task Every_container_has_readiness_and_liveness_probes(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var problems = new Problems(overlay);
        foreach (var (workload, container) in rendered.Workloads.SelectMany(w => w.MainContainers.Select(c => (w, c))))
        {
            problems.Check(container["readinessProbe"].Exists, $"{workload} container {container["name"]} has no readinessProbe");
            problems.Check(container["livenessProbe"].Exists, $"{workload} container {container["name"]} has no livenessProbe");
        }
        problems.AssertNone();
    }

    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task Every_container_runs_as_non_root_with_a_read_only_root_and_no_privileges(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var problems = new Problems(overlay);
        foreach (var workload in rendered.Workloads)
        {
            var pod = workload.PodSpec["securityContext"];
            problems.Check(workload.PodSpec["automountServiceAccountToken"].IsFalse, $"{workload} mounts a service account token");
            foreach (var container in workload.Containers)
            {
                var name = $"{workload} container {container["name"]}";
                var own = container["securityContext"];
                problems.Check(own["runAsNonRoot"].IsTrue || (pod["runAsNonRoot"].IsTrue && !own["runAsNonRoot"].IsFalse), $"{name} may run as root (runAsNonRoot)");
                problems.Check((own["runAsUser"].Number ?? pod["runAsUser"].Number) is not 0, $"{name} runs as uid 0");
                problems.Check(own["readOnlyRootFilesystem"].IsTrue, $"{name} has a writable root filesystem");
                problems.Check(own["allowPrivilegeEscalation"].IsFalse, $"{name} allows privilege escalation");
                problems.Check(own["capabilities"]["drop"].Items.Any(c => c.Text == "ALL"), $"{name} does not drop ALL capabilities");
                problems.Check(own["privileged"].Text is null or "false", $"{name} is privileged");
                problems.Check((own["seccompProfile"]["type"].Text ?? pod["seccompProfile"]["type"].Text) == "RuntimeDefault", $"{name} has no RuntimeDefault seccomp profile");
            }
        }
        problems.AssertNone();
    }

    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task Every_container_requests_and_is_limited_in_cpu_and_memory(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var problems = new Problems(overlay);
        foreach (var (workload, container) in Containers(rendered))
        {
            foreach (var kind in new[] { "requests", "limits" })
            {
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    problems.Check(container["resources"][kind][resource].Exists, $"{workload} container {container["name"]} sets no {resource} {kind}");
                }
            }
        }
        problems.AssertNone();
    }

    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task The_root_filesystem_is_read_only_but_tmp_is_writable_for_silos_and_gateways(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var problems = new Problems(overlay);
        foreach (var workload in new[] { rendered.Component("silo"), rendered.Component("gateway") })
        {
            var emptyDirs = workload.PodSpec["volumes"].Items.Where(v => v["emptyDir"].Exists).Select(v => v["name"].Text).ToHashSet();
            foreach (var container in workload.Containers)
            {
                problems.Check(
                    container["volumeMounts"].Items.Any(m => m["mountPath"].Text == "/tmp" && emptyDirs.Contains(m["name"].Text)),
                    $"{workload} container {container["name"]} has no emptyDir at /tmp (script scratch space, .NET temp files)");
            }
        }
        problems.AssertNone();
    }

    private static IEnumerable<(K8sObject Workload, Node Container)> Containers(RenderedOverlay overlay) =>
        overlay.Workloads.SelectMany(w => w.Containers.Select(c => (w, c)));
}
