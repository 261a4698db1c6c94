using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TaskGrid.Silo;

internal sealed partial class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        var failures = new List<string>();
        if (options.Name is null || !SiloName().IsMatch(options.Name))
        {
            failures.Add($"TaskGrid:Silo:Name must be 1-63 lower-case letters, digits, '.' or '-' (a Kubernetes pod name), starting and ending with a letter or digit; got '{options.Name}'.");
        }
        if (options.HealthPort is < 0 or > 65535)
        {
            failures.Add($"TaskGrid:Silo:HealthPort must be a port number or 0 (off); got {options.HealthPort}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$")]
    private static partial Regex SiloName();
}
