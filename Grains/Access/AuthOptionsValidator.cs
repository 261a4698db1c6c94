using Microsoft.Extensions.Options;
using TaskGrid.Validation;

namespace TaskGrid.Grains.Access;

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (options.BootstrapAdminKey is { } key && (key.Length < 20 || key.Any(char.IsWhiteSpace)))
        {
            failures.Add("TaskGrid:Auth:BootstrapAdminKey must be at least 20 characters without spaces; generate one with: openssl rand -base64 32");
        }
        if (!TextRules.UserId().IsMatch(options.BootstrapAdminUserId))
        {
            failures.Add($"TaskGrid:Auth:BootstrapAdminUserId must be 1-128 letters, digits, '.', '_', '@' or '-'; got '{options.BootstrapAdminUserId}'.");
        }
        if (options.KeyCacheDuration < TimeSpan.Zero || options.KeyCacheDuration > TimeSpan.FromMinutes(5))
        {
            failures.Add($"TaskGrid:Auth:KeyCacheDuration must be between 0 and 5 minutes; got {options.KeyCacheDuration}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
