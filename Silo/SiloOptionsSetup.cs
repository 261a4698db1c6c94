using Microsoft.Extensions.Options;

namespace TaskGrid.Silo;

/// <summary>Gives an unnamed silo a name unique to this process.</summary>
internal sealed class SiloOptionsSetup : IPostConfigureOptions<SiloOptions>
{
    public void PostConfigure(string? name, SiloOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            options.Name = $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}";
        }
    }
}
