using TaskGrid.Artifacts;
using TaskGrid.Cluster;
using TaskGrid.Grids;
using TaskGrid.Observability;
using TaskGrid.Tasks;
using TaskGrid.Users;
using TaskGrid.Workers;

namespace TaskGrid;

/// <summary>
/// Reaches grains by key, as Orleans' <c>IGrainFactory.GetGrain</c> does. A reference is
/// cheap and holds no state: every call is a turn against PostgreSQL.
/// </summary>
public interface IGrainFactory
{
    /// <summary>The task with this id.</summary>
    ITaskGrain Task(Guid id);

    /// <summary>The grid with this id.</summary>
    IGridGrain Grid(Guid id);

    /// <summary>The worker with this id.</summary>
    IWorkerGrain Worker(string id);

    /// <summary>The user with this id.</summary>
    IUserGrain User(string id);

    /// <summary>The API key with this id.</summary>
    IApiKeyGrain ApiKey(Guid id);

    /// <summary>The artifact with this id.</summary>
    IArtifactGrain Artifact(Guid id);

    /// <summary>The grain that stores uploaded files.</summary>
    IArtifactUploadGrain ArtifactUploads();

    /// <summary>The listing grain.</summary>
    ICatalogGrain Catalog();

    /// <summary>The cluster membership grain.</summary>
    IClusterGrain Cluster();

    /// <summary>The cluster-wide metrics grain.</summary>
    IMetricsGrain Metrics();
}
