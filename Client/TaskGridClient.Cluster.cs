using TaskGrid.Client.Http;
using TaskGrid.Cluster;

namespace TaskGrid.Client;

public sealed partial class TaskGridClient
{
    /// <summary>Every silo that has joined the cluster, alive ones first (<c>GET /v1/silos</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<SiloView>> ListSilosAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<SiloView>>("v1/silos", cancellationToken);

    /// <summary>Workers of live silos, or of one silo (<c>GET /v1/workers</c>).</summary>
    /// <param name="silo">Only this silo's workers. Default: every live silo's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<WorkerView>> ListWorkersAsync(string? silo = null, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<WorkerView>>($"v1/workers{new QueryString().Add("silo", silo)}", cancellationToken);

    /// <summary>
    /// The cluster's health (<c>GET /v1/status</c>, no API key needed). An unhealthy cluster is an
    /// answer, not an exception: the gateway's 503 with a status body is returned as
    /// <see cref="ClusterHealthStatus.Unhealthy"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ClusterStatusView> GetStatusAsync(CancellationToken cancellationToken = default) =>
        SendAsync<ClusterStatusView>(new ApiRequest(HttpMethod.Get, "v1/status") { AlsoReadable = 503 }, cancellationToken);
}
