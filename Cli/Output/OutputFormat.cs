namespace TaskGrid.Cli.Output;

/// <summary>How results are printed (<c>-o</c>).</summary>
internal enum OutputFormat
{
    /// <summary>Tables and text for people (the default).</summary>
    Table,

    /// <summary>The API's own JSON, indented: what the gateway answered, parseable as its records.</summary>
    Json,

    /// <summary>The same document as YAML.</summary>
    Yaml,
}
