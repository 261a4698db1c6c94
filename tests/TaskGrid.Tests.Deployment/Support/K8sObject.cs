namespace TaskGrid.Tests.Deployment.Support;

/// <summary>One rendered Kubernetes object.</summary>
public sealed class K8sObject(Node root)
{
    private static readonly HashSet<string> s_workloads = ["Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"];

    public Node Root { get; } = root;

    public string ApiVersion => Root["apiVersion"].Text ?? "";

    public string Kind => Root["kind"].Text ?? "";

    public string Name => Root["metadata"]["name"].Text ?? "";

    public string? Namespace => Root["metadata"]["namespace"].Text;

    public Node Spec => Root["spec"];

    public bool IsWorkload => s_workloads.Contains(Kind);

    /// <summary>The pod template's spec of a workload.</summary>
    public Node PodSpec => Spec["template"]["spec"];

    /// <summary>The labels the workload's pods get.</summary>
    public IReadOnlyDictionary<string, string> PodLabels => Spec["template"]["metadata"]["labels"].StringMap;

    /// <summary>The long-running containers (probes apply to these, not to init containers).</summary>
    public IEnumerable<Node> MainContainers => PodSpec["containers"].Items;

    public IEnumerable<Node> Containers => PodSpec["initContainers"].Items.Concat(PodSpec["containers"].Items);

    public override string ToString() => $"{Kind}/{Name}";
}
