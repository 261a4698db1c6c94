using System.Text.Json.Nodes;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>One method on one path of the OpenAPI document, for example <c>POST /v1/grids/{id}/tasks</c>.</summary>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Template">The path template.</param>
/// <param name="Parameters">Path and query parameters.</param>
/// <param name="BodySchema">The JSON body's schema, or null when the route takes no body.</param>
public sealed record ApiRoute(string Method, string Template, IReadOnlyList<ApiParameter> Parameters, JsonNode? BodySchema)
{
    public string Name => $"{Method} {Template}";

    public IEnumerable<ApiParameter> PathParameters => Parameters.Where(p => p.InPath);

    public IEnumerable<ApiParameter> QueryParameters => Parameters.Where(p => p.InQuery);

    /// <summary>Whether the route names a resource by id in its path.</summary>
    public bool NamesResource => PathParameters.Any();

    /// <summary>The path segment before <c>{name}</c>: <c>/v1/grids/{id}/tasks</c> gives <c>grids</c> for <c>id</c>.</summary>
    public string SegmentBefore(ApiParameter parameter)
    {
        var segments = Template.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(segments, "{" + parameter.Name + "}");
        return at > 0 ? segments[at - 1] : "";
    }

    /// <summary>
    /// The path with each parameter replaced. Values are percent-encoded unless
    /// <paramref name="raw"/>, which puts them in as they are (to send <c>../</c> or a
    /// pre-encoded <c>%2e%2e%2f</c> verbatim).
    /// </summary>
    public string Fill(Func<ApiParameter, string> valueOf, bool raw = false)
    {
        var path = Template;
        foreach (var parameter in PathParameters)
        {
            var value = valueOf(parameter);
            path = path.Replace("{" + parameter.Name + "}", raw ? value : Uri.EscapeDataString(value), StringComparison.Ordinal);
        }
        return path;
    }

    public override string ToString() => Name;
}
