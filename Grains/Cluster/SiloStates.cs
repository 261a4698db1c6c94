using TaskGrid.Cluster;

namespace TaskGrid.Grains.Cluster;

/// <summary>The database spelling of <see cref="SiloState"/>.</summary>
internal static class SiloStates
{
    public static SiloState Parse(string value) => value switch
    {
        "active" => SiloState.Active,
        "draining" => SiloState.Draining,
        "stopped" => SiloState.Stopped,
        "dead" => SiloState.Dead,
        _ => throw new FormatException($"'{value}' is not a silo state."),
    };

    public static string ToName(SiloState state) => state.ToString().ToLowerInvariant();
}
