using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TaskGrid.Tests.Functional.Support;

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4, for checking what the
/// gateway and the silos write: HELP and TYPE once per family and before its samples, samples
/// of a family together, names and labels well-formed, label values escaped, no series twice,
/// counters not negative, and histograms with cumulative buckets whose +Inf equals _count.
/// Anything else throws <see cref="FormatException"/> naming the line.
/// </summary>
public static partial class PrometheusTextParser
{
    public static IReadOnlyDictionary<string, Family> Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("The exposition must end with a line feed.");
        }
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        Family? current = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            var where = $"line {i + 1} '{line}'";
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith('#'))
            {
                var comment = CommentLine().Match(line);
                if (!comment.Success)
                {
                    throw new FormatException($"{where}: a comment must be '# HELP name text' or '# TYPE name type'.");
                }
                var name = comment.Groups["name"].Value;
                if (current?.Name != name)
                {
                    if (current is not null)
                    {
                        finished.Add(current.Name);
                    }
                    if (finished.Contains(name) || families.ContainsKey(name))
                    {
                        throw new FormatException($"{where}: family {name} appears twice.");
                    }
                    current = families[name] = new Family(name);
                }
                if (comment.Groups["kind"].Value == "TYPE")
                {
                    if (current.Type is not null || current.Samples.Count > 0)
                    {
                        throw new FormatException($"{where}: TYPE must come once, before the family's samples.");
                    }
                    current.Type = comment.Groups["rest"].Value is "counter" or "gauge" or "histogram" or "summary" or "untyped"
                        ? comment.Groups["rest"].Value
                        : throw new FormatException($"{where}: unknown type.");
                }
                else
                {
                    if (current.Help is not null)
                    {
                        throw new FormatException($"{where}: HELP twice.");
                    }
                    current.Help = Unescape(comment.Groups["rest"].Value, help: true, where);
                }
                continue;
            }
            var sample = SampleLine().Match(line);
            if (!sample.Success)
            {
                throw new FormatException($"{where}: not a sample line.");
            }
            var sampleName = sample.Groups["name"].Value;
            if (current is null || !Belongs(sampleName, current))
            {
                throw new FormatException($"{where}: sample {sampleName} does not belong to the family before it ({current?.Name ?? "none"}); every family needs its TYPE first and its samples together.");
            }
            var labels = ParseLabels(sample.Groups["labels"].Value, where);
            var value = ParseValue(sample.Groups["value"].Value, where);
            var key = sampleName + "{" + string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
            if (!current.Keys.Add(key))
            {
                throw new FormatException($"{where}: series {key} appears twice.");
            }
            if (current.Type == "counter" && value < 0)
            {
                throw new FormatException($"{where}: a counter cannot be negative.");
            }
            current.Samples.Add(new Sample(sampleName, labels, value));
        }
        foreach (var family in families.Values.Where(f => f.Type == "histogram"))
        {
            CheckHistogram(family);
        }
        return families;
    }

    private static bool Belongs(string sample, Family family) =>
        sample == family.Name
        || (family.Type == "histogram" && (sample == family.Name + "_bucket" || sample == family.Name + "_sum" || sample == family.Name + "_count"));

    private static void CheckHistogram(Family family)
    {
        foreach (var series in family.Samples.GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))))
        {
            var buckets = series.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).ToList();
            var count = series.SingleOrDefault(s => s.Name.EndsWith("_count", StringComparison.Ordinal))
                ?? throw new FormatException($"{family.Name}{{{series.Key}}} has no _count.");
            _ = series.SingleOrDefault(s => s.Name.EndsWith("_sum", StringComparison.Ordinal))
                ?? throw new FormatException($"{family.Name}{{{series.Key}}} has no _sum.");
            var bounds = buckets.Select(b => (Le: ParseValue(b.Labels.GetValueOrDefault("le") ?? throw new FormatException($"{family.Name}: a bucket without le."), family.Name), b.Value)).ToList();
            for (var i = 1; i < bounds.Count; i++)
            {
                if (bounds[i].Le <= bounds[i - 1].Le || bounds[i].Value < bounds[i - 1].Value)
                {
                    throw new FormatException($"{family.Name}{{{series.Key}}}: buckets must go up in le and be cumulative.");
                }
            }
            if (bounds.Count == 0 || !double.IsPositiveInfinity(bounds[^1].Le) || bounds[^1].Value != count.Value)
            {
                throw new FormatException($"{family.Name}{{{series.Key}}}: the last bucket must be le=\"+Inf\" and equal _count.");
            }
        }
    }

    private static Dictionary<string, string> ParseLabels(string text, string where)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var at = 0;
        while (at < text.Length)
        {
            var name = LabelName().Match(text, at);
            if (!name.Success || name.Index != at)
            {
                throw new FormatException($"{where}: bad label name at {at}.");
            }
            at += name.Length;
            if (at + 1 >= text.Length || text[at] != '=' || text[at + 1] != '"')
            {
                throw new FormatException($"{where}: a label needs =\"value\".");
            }
            at += 2;
            var value = new StringBuilder();
            while (true)
            {
                if (at >= text.Length)
                {
                    throw new FormatException($"{where}: unterminated label value.");
                }
                var c = text[at++];
                if (c == '"')
                {
                    break;
                }
                if (c == '\\')
                {
                    var escaped = at < text.Length ? text[at++] : throw new FormatException($"{where}: dangling escape.");
                    value.Append(escaped switch
                    {
                        '\\' => '\\',
                        '"' => '"',
                        'n' => '\n',
                        _ => throw new FormatException($"{where}: unknown escape \\{escaped}."),
                    });
                    continue;
                }
                value.Append(c);
            }
            if (!labels.TryAdd(name.Value, value.ToString()))
            {
                throw new FormatException($"{where}: label {name.Value} twice.");
            }
            if (at < text.Length)
            {
                at = text[at] == ',' ? at + 1 : throw new FormatException($"{where}: labels must be separated by commas.");
            }
        }
        return labels;
    }

    private static double ParseValue(string text, string where) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{where}: '{text}' is not a number."),
    };

    private static string Unescape(string text, bool help, string where)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                result.Append(text[i]);
                continue;
            }
            var next = ++i < text.Length ? text[i] : throw new FormatException($"{where}: dangling escape.");
            result.Append(next switch
            {
                '\\' => '\\',
                'n' => '\n',
                _ when help => throw new FormatException($"{where}: HELP allows only \\\\ and \\n."),
                _ => next,
            });
        }
        return result.ToString();
    }

    [GeneratedRegex(@"^# (?<kind>HELP|TYPE) (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<rest>.*)$")]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( -?\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"[a-zA-Z_][a-zA-Z0-9_]*")]
    private static partial Regex LabelName();

    public sealed class Family(string name)
    {
        public string Name { get; } = name;

        public string? Type { get; set; }

        public string? Help { get; set; }

        public List<Sample> Samples { get; } = [];

        internal HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public double Sum(string? sampleName = null, Func<IReadOnlyDictionary<string, string>, bool>? where = null) =>
            Samples.Where(s => s.Name == (sampleName ?? Name) && (where is null || where(s.Labels))).Sum(s => s.Value);
    }

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
