using Microsoft.Extensions.Options;

namespace TaskGrid.Grains.Artifacts;

internal sealed class ArtifactOptionsValidator(IEnumerable<IArtifactStore> stores) : IValidateOptions<ArtifactOptions>
{
    public ValidateOptionsResult Validate(string? name, ArtifactOptions options)
    {
        var failures = new List<string>();
        var known = stores.Select(s => s.Name).ToList();
        if (!known.Contains(options.Store, StringComparer.Ordinal))
        {
            failures.Add($"TaskGrid:Artifacts:Store is '{options.Store}', but the stores registered are: {string.Join(", ", known)}.");
        }
        if (options.MaxBytes is < 1 or > 1L << 40)
        {
            failures.Add($"TaskGrid:Artifacts:MaxBytes must be between 1 byte and 1 TiB; got {options.MaxBytes}.");
        }
        if (options.AbandonedUploadAge < TimeSpan.FromMinutes(1))
        {
            failures.Add($"TaskGrid:Artifacts:AbandonedUploadAge must be at least a minute, or uploads in progress would be removed; got {options.AbandonedUploadAge}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
