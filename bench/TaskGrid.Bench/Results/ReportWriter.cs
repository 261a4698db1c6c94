using System.Text.Encodings.Web;
using System.Text.Json;

namespace TaskGrid.Bench.Results;

/// <summary>
/// Writes a run to <c>&lt;dir&gt;/&lt;stamp&gt;.json</c> and <c>.md</c>, and the same to
/// <c>latest.json</c> / <c>latest.md</c>. Each file is written to a <c>.tmp</c> beside it and
/// moved into place, so a reader never sees half a file.
/// </summary>
internal static class ReportWriter
{
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Returns the paths written: the stamped JSON and Markdown.</summary>
    public static (string Json, string Markdown) Write(string directory, BenchReport report, string markdown)
    {
        Directory.CreateDirectory(directory);
        var json = JsonSerializer.Serialize(report, Json) + "\n";
        var stamped = Path.Combine(directory, report.Run.Stamp);
        WriteAtomically(stamped + ".json", json);
        WriteAtomically(stamped + ".md", markdown);
        WriteAtomically(Path.Combine(directory, "latest.json"), json);
        WriteAtomically(Path.Combine(directory, "latest.md"), markdown);
        return (stamped + ".json", stamped + ".md");
    }

    public static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
