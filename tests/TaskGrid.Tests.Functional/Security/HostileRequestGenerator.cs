using System.Globalization;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// Generates hostile requests for every route of the OpenAPI document: bad keys, hostile ids
/// and query values, malformed bodies, and every field of every body set to values of the
/// wrong type, out of range, or text that attacks storage, shells and paths. Generation is
/// deterministic for a seed, so a failure reproduces.
/// </summary>
/// <param name="document">The routes and their schemas.</param>
/// <param name="random">The seeded source of every choice.</param>
/// <param name="own">The calling user's resources, which valid ids point at.</param>
/// <param name="other">Another user's resources.</param>
/// <param name="maxBodyBytes">The gateway's body size limit.</param>
public sealed partial class HostileRequestGenerator(
    ApiDocument document,
    Random random,
    IReadOnlyList<OwnedResources> own,
    OwnedResources other,
    long maxBodyBytes)
{
    /// <summary>Key placeholders, filled in when a request is sent.</summary>
    public const string Admin = "{admin}", User = "{user}", UserTruncated = "{user-truncated}", OtherUser = "{other}", Revoked = "{revoked}", Disabled = "{disabled}";

    // Stands for the caller in a case sent once as each of Admin and User.
    private const string EachCaller = "{each-caller}";

    private const string Marker = "hostile-suite";

    private static readonly string[] s_methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND"];

    // No NUL: Kestrel and the in-process test server both refuse a path holding one (%00)
    // before any application code runs, so the gateway never sees it.
    private static readonly string[] s_badIds =
    [
        "garbage", "-1", "0", "99999999999", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "'; drop table tasks; --", "1 or 1=1", "$(rm -rf /)", "`id`", "\u0001", "\uD800", "😀", "me", "admin",
        "..", "../../etc/passwd", new string('9', 10_240), " ", "%", "{id}", "null",
    ];

    // Path values put in verbatim: pre-encoded traversal, which must not be decoded into a route.
    private static readonly string[] s_rawPathIds = ["%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%2F..%2F..%2Fetc%2Fpasswd", "..;/..;/", "%ZZ", "%ED%A0%80", "%c0%ae%c0%ae%2f"];

    private static readonly string[] s_badQueryText =
    [
        "", " ", "\0", "x\0y", "DROP", "PENDING", "'; drop table tasks; --", "$(rm -rf /)", "`id`", "../../etc/passwd",
        "%2e%2e%2f", new string('q', 10_240), "😀", "\uFFFD", "null", "undefined", "[]", "{}",
    ];

    private static readonly string[] s_badQueryIntegers =
    [
        "-1", "0", "1", "500", "501", "2147483647", "2147483648", "99999999999", "-99999999999", "1.5", "1e3", "0x10",
        " 1", "1 ", "abc", "", "\0", "NaN", "Infinity", "١", new string('9', 400),
    ];

    /// <summary>
    /// Every request for every route, in a deterministic order: each hostile case once as an
    /// admin (who reaches every row, so input travels furthest) and once as a user (who meets
    /// the ownership checks), then <paramref name="combinations"/> requests that each combine
    /// several hostile fields at random.
    /// </summary>
    public IReadOnlyList<HostileRequest> Generate(int combinations)
    {
        var requests = new List<HostileRequest>();
        foreach (var route in document.Routes)
        {
            requests.AddRange(Valid(route));
            requests.AddRange(Authentication(route));
            var cases = PathIds(route).Concat(QueryValues(route)).Concat(Bodies(route)).Concat(Fields(route));
            requests.AddRange(cases.SelectMany(request => (IEnumerable<HostileRequest>)[As(request, Admin), As(request, User)]));
        }
        foreach (var path in document.Routes.GroupBy(r => r.Template))
        {
            var declared = path.Select(r => r.Method).ToHashSet(StringComparer.Ordinal);
            foreach (var method in s_methods.Where(m => !declared.Contains(m)))
            {
                var route = path.First() with { Method = method, BodySchema = null };
                requests.Add(As(Build(route, "method not served", EachCaller, body: null), Admin));
            }
        }
        var withBodies = document.Routes.Where(r => r.BodySchema is not null).ToList();
        for (var i = 0; i < combinations && withBodies.Count > 0; i++)
        {
            requests.Add(As(Combination(Pick(withBodies)), random.Next(2) == 0 ? Admin : User));
        }
        return requests;
    }

    private static HostileRequest As(HostileRequest request, string principal) => request with
    {
        Case = $"{request.Case} (as {principal.Trim('{', '}')})",
        Headers = [.. request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.Replace(EachCaller, principal, StringComparison.Ordinal)))],
    };

    private IEnumerable<HostileRequest> Valid(ApiRoute route)
    {
        foreach (var principal in new[] { User, Admin, User })
        {
            yield return Build(route, "valid request", principal, ValidBody(route));
        }
    }

    private IEnumerable<HostileRequest> Authentication(ApiRoute route)
    {
        (string Case, string Header, string Value)[] variants =
        [
            ("no key", "", ""),
            ("Bearer without a key", "Authorization", "Bearer"),
            ("Bearer with blank key", "Authorization", "Bearer    "),
            ("unknown key", "Authorization", "Bearer tg_0000000000000000000000000000000000000000"),
            ("key with a character appended", "Authorization", $"Bearer {User}x"),
            ("key with its last character dropped", "Authorization", $"Bearer {UserTruncated}"),
            ("revoked key", "Authorization", $"Bearer {Revoked}"),
            ("key of a disabled user", "Authorization", $"Bearer {Disabled}"),
            ("Basic credentials", "Authorization", "Basic dXNlcjpwYXNzd29yZA=="),
            ("Digest credentials", "Authorization", "Digest username=\"admin\", response=\"x\""),
            ("10 KB key", "Authorization", "Bearer " + new string('k', 10_240)),
            ("key with NUL", "Authorization", $"Bearer {User}\0"),
            ("key with control characters", "X-Api-Key", "tg_\u0001\u0002\u0003"),
            ("non-ASCII key", "X-Api-Key", "tg_ключ_密钥_🔑"),
            ("SQL in key", "X-Api-Key", "' or '1'='1"),
            ("garbage X-Api-Key", "X-Api-Key", "definitely-wrong"),
            ("bad Authorization beside a good X-Api-Key", "Authorization", "Basic Zm9vOmJhcg=="),
        ];
        foreach (var (name, header, value) in variants)
        {
            var headers = new List<KeyValuePair<string, string>>();
            if (header.Length > 0)
            {
                headers.Add(new(header, value));
            }
            if (name.StartsWith("bad Authorization beside", StringComparison.Ordinal))
            {
                headers.Add(new("X-Api-Key", User));
            }
            yield return Build(route, "auth: " + name, principal: null, ValidBody(route), extraHeaders: headers, expected: [401]);
        }
        yield return Build(route, "auth: key as lower-case bearer", principal: null, ValidBody(route),
            extraHeaders: [new("Authorization", $"bearer {User}")]);
        yield return Build(route, "auth: another user's key", OtherUser, ValidBody(route));
    }

    private IEnumerable<HostileRequest> PathIds(ApiRoute route)
    {
        foreach (var parameter in route.PathParameters)
        {
            var ids = s_badIds
                .Append(RandomGuid())
                .Append(other.PathId(route, parameter))
                .Append(Pick(own).PathId(route, parameter).ToUpperInvariant())
                .Append(Guid.TryParse(Pick(own).PathId(route, parameter), out var guid) ? guid.ToString("N") : "x")
                .Append(Guid.TryParse(Pick(own).PathId(route, parameter), out guid) ? guid.ToString("B") : "y");
            foreach (var id in ids)
            {
                var path = route.Fill(p => p == parameter ? id : Pick(own).PathId(route, p));
                yield return Build(route, $"path {{{parameter.Name}}} = {Label(id)}", EachCaller, ValidBody(route), path: path);
            }
            foreach (var raw in s_rawPathIds)
            {
                var path = route.Fill(p => p == parameter ? raw : Uri.EscapeDataString(Pick(own).PathId(route, p)), raw: true);
                yield return Build(route, $"path {{{parameter.Name}}} = raw {raw}", EachCaller, ValidBody(route), path: path);
            }
        }
    }

    private IEnumerable<HostileRequest> QueryValues(ApiRoute route)
    {
        foreach (var parameter in route.QueryParameters)
        {
            var values = parameter.Type == "integer" ? s_badQueryIntegers : s_badQueryText;
            if (parameter.Format == "uuid")
            {
                values = [.. values, RandomGuid(), "00000000-0000-0000-0000-000000000000"];
            }
            if (other.QueryId(route, parameter) is { } othersId)
            {
                values = [.. values, othersId];
            }
            foreach (var value in values)
            {
                yield return Build(route, $"query {parameter.Name} = {Label(value)}", EachCaller, ValidBody(route),
                    query: $"{parameter.Name}={Uri.EscapeDataString(value)}");
            }
            yield return Build(route, $"query {parameter.Name} twice", EachCaller, ValidBody(route),
                query: $"{parameter.Name}=1&{parameter.Name}=2");
            yield return Build(route, $"query {parameter.Name} raw percent garbage", EachCaller, ValidBody(route),
                query: $"{parameter.Name}=%ZZ%00%2e%2e%2f");
        }
        yield return Build(route, "query: unknown parameter", EachCaller, ValidBody(route), query: "drop=table&__proto__=x");
        yield return Build(route, "query: 10,000 parameters", EachCaller, ValidBody(route),
            query: string.Join("&", Enumerable.Range(0, 10_000).Select(i => string.Create(CultureInfo.InvariantCulture, $"p{i}={i}"))));
    }

    private HostileRequest Build(
        ApiRoute route, string @case, string? principal, byte[]? body,
        string? path = null, string? query = null, string? contentType = "application/json", bool unsized = false,
        IReadOnlyList<KeyValuePair<string, string>>? extraHeaders = null, IReadOnlyList<int>? expected = null)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (principal is not null)
        {
            headers.Add(new("Authorization", "Bearer " + principal));
        }
        headers.AddRange(extraHeaders ?? []);
        var target = path ?? route.Fill(p => Pick(own).PathId(route, p));
        if (query is not null)
        {
            target += "?" + query;
        }
        return new HostileRequest(route.Name, @case, route.Method, target, headers,
            body, body is null ? null : contentType, unsized, expected);
    }


    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    // A GUID from the seed, so that a rerun sends the same "unknown" ids.
    private string RandomGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    private static string Label(string value) =>
        value.Length > 40 ? $"{value.Length} characters" : string.Concat(value.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
