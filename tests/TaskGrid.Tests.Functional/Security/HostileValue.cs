using System.Text;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// A JSON value to put where a field's value goes, as raw bytes: it may be malformed JSON,
/// hold escapes of unpaired surrogates, or not be UTF-8 at all.
/// </summary>
/// <param name="Label">What it is, for the report and failure messages.</param>
/// <param name="Json">The bytes that replace the field's value.</param>
public sealed record HostileValue(string Label, byte[] Json)
{
    /// <summary>A value written as JSON text (which may be invalid JSON on purpose).</summary>
    public static HostileValue Text(string label, string json) => new(label, Encoding.UTF8.GetBytes(json));

    /// <summary>A JSON string holding <paramref name="value"/>, properly escaped.</summary>
    public static HostileValue Quoted(string label, string value) =>
        Text(label, System.Text.Json.JsonSerializer.Serialize(value));

    /// <summary>A JSON string whose content is raw bytes, for invalid UTF-8 inside a string.</summary>
    public static HostileValue RawString(string label, params byte[] content) => new(label, [(byte)'"', .. content, (byte)'"']);

    public override string ToString() => Label;
}
