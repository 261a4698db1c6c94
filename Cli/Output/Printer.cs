using System.Text.Json;
using Spectre.Console;
using TaskGrid.Serialization;

namespace TaskGrid.Cli.Output;

/// <summary>
/// Prints a command's result in the chosen format: the API's JSON (indented), the same as YAML,
/// or a table drawn by <paramref name="console"/>. JSON and YAML go straight to standard output,
/// unwrapped and uncoloured, so scripts can parse them.
/// </summary>
internal sealed class Printer(TextWriter output, OutputFormat format, IAnsiConsole console)
{
    private static readonly JsonSerializerOptions s_indented = new(TaskGridJson.Options) { WriteIndented = true };

    public OutputFormat Format => format;

    /// <summary>The console of standard output, for tables and text.</summary>
    public IAnsiConsole Console => console;

    public bool IsTable => format == OutputFormat.Table;

    public void Write<T>(T value, Action<IAnsiConsole> asTable)
    {
        switch (format)
        {
            case OutputFormat.Json:
                output.WriteLine(JsonSerializer.Serialize(value, s_indented));
                break;
            case OutputFormat.Yaml:
                YamlWriter.Write(JsonSerializer.SerializeToNode(value, TaskGridJson.Options), output);
                break;
            default:
                asTable(console);
                break;
        }
        output.Flush();
    }
}
