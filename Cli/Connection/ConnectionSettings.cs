namespace TaskGrid.Cli.Connection;

/// <summary>
/// Which gateway to call and with which key. Each comes from the first of: the option
/// (<c>--url</c>, <c>--api-key</c>), the environment (<c>TASKGRID_URL</c>, <c>TASKGRID_API_KEY</c>),
/// the login profile, and for the URL the local default. The profile's key is only sent to the
/// profile's own gateway, so pointing <c>--url</c> elsewhere never leaks it.
/// </summary>
/// <param name="Url">The gateway.</param>
/// <param name="ApiKey">The key, if any was found.</param>
/// <param name="KeySource">Where the key came from, for messages.</param>
internal sealed record ConnectionSettings(Uri Url, string? ApiKey, string KeySource)
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    public const string UrlVariable = "TASKGRID_URL";
    public const string ApiKeyVariable = "TASKGRID_API_KEY";

    public static ConnectionSettings Resolve(string? urlOption, string? keyOption, Func<string, string?> environment, Func<LoginProfile?> profile)
    {
        // The profile is read only when something must come from it, so a broken profile does
        // not stand in the way of --url and --api-key.
        var saved = new Lazy<LoginProfile?>(profile);
        var urlText = NonEmpty(urlOption) ?? NonEmpty(environment(UrlVariable));
        var source = urlOption is not null ? "--url" : urlText is not null ? UrlVariable : "the profile's url";
        var url = ParseUrl(urlText ?? saved.Value?.Url ?? DefaultUrl, source);

        if (NonEmpty(keyOption) is { } key)
        {
            return new ConnectionSettings(url, key, "--api-key");
        }
        if (NonEmpty(environment(ApiKeyVariable)) is { } fromEnvironment)
        {
            return new ConnectionSettings(url, fromEnvironment, ApiKeyVariable);
        }
        if (saved.Value is { } login && SameGateway(ParseUrl(login.Url, "the profile's url"), url))
        {
            return new ConnectionSettings(url, login.ApiKey, "the login profile");
        }
        return new ConnectionSettings(url, null, "none");
    }

    public static Uri ParseUrl(string text, string source) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new UsageException($"{source} '{text}' is not an http:// or https:// URL (for example {DefaultUrl}).");

    private static bool SameGateway(Uri a, Uri b) =>
        string.Equals(a.GetLeftPart(UriPartial.Path).TrimEnd('/'), b.GetLeftPart(UriPartial.Path).TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
