using TaskGrid.Artifacts;
using TaskGrid.Cluster;
using TaskGrid.Grains.Artifacts;
using TaskGrid.Grains.Cluster;
using TaskGrid.Grains.Grids;
using TaskGrid.Grains.Observability;
using TaskGrid.Grains.Tasks;
using TaskGrid.Grains.Users;
using TaskGrid.Grains.Workers;
using TaskGrid.Grids;
using TaskGrid.Observability;
using TaskGrid.Tasks;
using TaskGrid.Users;
using TaskGrid.Workers;

namespace TaskGrid.Grains;

/// <summary>
/// Creates grain references. A grain holds no state between calls (each turn reads its row),
/// so a reference is a small object and any process can run any grain's turn.
/// </summary>
internal sealed class GrainFactory(GrainServices services) : IGrainFactory
{
    /// <summary>Lanes (active grids) a single claim looks at. Beyond this, the oldest grids of the highest priority go first.</summary>
    private const int ClaimLanes = 16;

    public ITaskGrain Task(Guid id) => new TaskGrain(id, services);

    public IGridGrain Grid(Guid id) => new GridGrain(id, services);

    public IWorkerGrain Worker(string id)
    {
        var separator = id.LastIndexOf('/');
        if (separator <= 0)
        {
            throw new ArgumentException($"Worker id '{id}' must be '{{silo}}/{{n}}'.", nameof(id));
        }
        return new WorkerGrain(id, id[..separator], services, ClaimLanes);
    }

    public IUserGrain User(string id) => new UserGrain(id, services);

    public IApiKeyGrain ApiKey(Guid id) => new ApiKeyGrain(id, services);

    public IArtifactGrain Artifact(Guid id) => new ArtifactGrain(id, services);

    public IArtifactUploadGrain ArtifactUploads() => new ArtifactUploadGrain(services);

    public ICatalogGrain Catalog() => new CatalogGrain(services);

    public IClusterGrain Cluster() => new ClusterGrain(services);

    public IMetricsGrain Metrics() => new MetricsGrain(services);
}
