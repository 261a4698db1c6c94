using TaskGrid.Tests.Functional.Support;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// A gateway with a small body limit, so oversized bodies are cheap to send, yet large enough
/// (512 KiB) for a grid matrix of two 65,536-item lists, whose product overflows an int.
/// </summary>
public sealed class HostileInputGateway : GatewayFactory
{
    public const long MaxBodyBytes = 512 * 1024;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["TaskGrid:Gateway:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TaskGrid:Tasks:MaxTasksPerCall"] = "200",
    };
}
