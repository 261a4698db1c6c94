using System.Text.Json.Nodes;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>A path or query parameter of a route, as the OpenAPI document declares it.</summary>
/// <param name="Name">The parameter's name, for example <c>id</c> or <c>user_id</c>.</param>
/// <param name="Location"><c>path</c> or <c>query</c>.</param>
/// <param name="Schema">Its JSON schema.</param>
public sealed record ApiParameter(string Name, string Location, JsonNode Schema)
{
    public bool InPath => Location == "path";

    public bool InQuery => Location == "query";

    /// <summary>The declared type (<c>integer</c>, <c>string</c>, ...), ignoring <c>null</c>.</summary>
    public string Type => ApiDocument.TypeOf(Schema);

    /// <summary>The declared format (<c>uuid</c>, <c>int32</c>, ...), or empty.</summary>
    public string Format => (string?)Schema["format"] ?? "";
}
