using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace TaskGrid.Grains.Diagnostics;

/// <summary>
/// Prometheus spellings of <see cref="System.Diagnostics.Metrics"/> names, following the
/// OpenTelemetry-to-Prometheus conventions: dots become underscores, the unit becomes a suffix
/// (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>; annotations such as <c>{task}</c> add
/// nothing) and counters end in <c>_total</c>.
/// </summary>
public static class PrometheusNames
{
    /// <summary>The family name of <paramref name="instrument"/>.</summary>
    public static string Of(Instrument instrument, bool isCounter)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var name = Sanitize(instrument.Name);
        var unit = UnitSuffix(instrument.Unit);
        if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name += "_" + unit;
        }
        return isCounter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    /// <summary>A metric or label name: anything but letters, digits and underscores becomes an underscore.</summary>
    public static string Sanitize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        if (text.Length == 0 || char.IsAsciiDigit(text[0]))
        {
            text.Insert(0, '_');
        }
        return text.ToString();
    }

    /// <summary>The label set of <paramref name="tags"/>, sorted by name and escaped, as written between braces.</summary>
    public static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }
        var pairs = new List<(string Name, string Value)>(tags.Length);
        foreach (var tag in tags)
        {
            pairs.Add((Sanitize(tag.Key), Format(tag.Value)));
        }
        pairs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return Join(pairs);
    }

    /// <summary>Writes <paramref name="pairs"/> as a label set, in the order given.</summary>
    public static string Join(IEnumerable<(string Name, string Value)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var text = new StringBuilder();
        foreach (var (name, value) in pairs)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }
            text.Append(name).Append("=\"").Append(Escape(value)).Append('"');
        }
        return text.ToString();
    }

    /// <summary>Adds one label to a label set.</summary>
    public static string With(string labels, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var added = Join([(name, value)]);
        return labels.Length == 0 ? added : labels + "," + added;
    }

    /// <summary>A label value with backslash, double quote and line feed escaped.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>A sample value: Go's float syntax, which Prometheus parses.</summary>
    public static string Value(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string Format(object? value) => value switch
    {
        null => "",
        string text => text,
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string UnitSuffix(string? unit) => unit switch
    {
        null or "" or "1" => "",
        "s" => "seconds",
        "ms" => "milliseconds",
        "By" => "bytes",
        _ when unit.StartsWith('{') => "",
        _ => Sanitize(unit).ToLowerInvariant(),
    };
}
