using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using TaskGrid.Tests.Functional.Support;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// A gateway that logs everything, down to framework traces, into <see cref="GatewayFactory.Logs"/>
/// only (not the console), and takes bodies up to 64 KiB.
/// </summary>
public sealed class VerboseLoggingGateway : GatewayFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Npgsql"] = "Trace",
        ["TaskGrid:Gateway:MaxRequestBodyBytes"] = "65536",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs));
    }
}
