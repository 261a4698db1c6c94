using Microsoft.Extensions.Options;
using TaskGrid.Grains.Access;
using TaskGrid.Grains.Artifacts;
using TaskGrid.Grains.Cluster;
using TaskGrid.Grains.Observability;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Tasks;

namespace TaskGrid.Grains;

/// <summary>What every grain activation needs: the turn runner, the clock and the options.</summary>
internal sealed class GrainServices(
    GrainTurns turns,
    DbClock clock,
    ApiKeyAuthenticator authenticator,
    ArtifactRepository artifacts,
    IOptions<TaskOptions> taskOptions,
    IOptions<ClusterOptions> clusterOptions,
    IOptions<ObservabilityOptions> observabilityOptions)
{
    public GrainTurns Turns => turns;

    public DbClock Clock => clock;

    public ApiKeyAuthenticator Authenticator => authenticator;

    public ArtifactRepository Artifacts => artifacts;

    public TaskOptions Tasks => taskOptions.Value;

    public ClusterOptions Cluster => clusterOptions.Value;

    public ObservabilityOptions Observability => observabilityOptions.Value;
}
