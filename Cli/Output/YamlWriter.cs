using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace TaskGrid.Cli.Output;

/// <summary>
/// Writes a JSON document as YAML with the same shape and the same types: strings are always
/// quoted (or block literals when they span lines), so <c>"123"</c>, <c>"true"</c> or
/// <c>"null"</c> stay strings, while numbers, booleans and null are plain. Any YAML parser reads
/// back exactly what <c>-o json</c> prints.
/// </summary>
internal static partial class YamlWriter
{
    public static void Write(JsonNode? node, TextWriter writer)
    {
        var emitter = new Emitter(writer, new EmitterSettings().WithBestWidth(int.MaxValue).WithIndentedSequences());
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                Plain(emitter, "null");
                break;
            case JsonObject obj:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, obj.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    if (SimpleKey().IsMatch(key) && !ReservedWord().IsMatch(key))
                    {
                        Plain(emitter, key);
                    }
                    else
                    {
                        Quoted(emitter, key, ScalarStyle.DoubleQuoted);
                    }
                    Emit(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, array.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in array)
                {
                    Emit(emitter, item);
                }
                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value:
                var element = value.GetValue<JsonElement>();
                switch (element.ValueKind)
                {
                    case JsonValueKind.String:
                        var text = element.GetString()!;
                        Quoted(emitter, text, text.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal : ScalarStyle.DoubleQuoted);
                        break;
                    case JsonValueKind.Number:
                        Plain(emitter, element.GetRawText());
                        break;
                    case JsonValueKind.True:
                        Plain(emitter, "true");
                        break;
                    case JsonValueKind.False:
                        Plain(emitter, "false");
                        break;
                    default:
                        Plain(emitter, "null");
                        break;
                }
                break;
        }
    }

    private static void Plain(IEmitter emitter, string text) =>
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));

    // Quoted and literal scalars are strings to every YAML parser; the emitter falls back to
    // double quotes when a literal block cannot hold the text (trailing spaces, control characters).
    private static void Quoted(IEmitter emitter, string text, ScalarStyle style) =>
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, style, isPlainImplicit: false, isQuotedImplicit: true));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex SimpleKey();

    // Words YAML 1.1 parsers read as booleans or null when unquoted.
    [GeneratedRegex("^(true|false|null|yes|no|on|off|y|n)$", RegexOptions.IgnoreCase)]
    private static partial Regex ReservedWord();
}
