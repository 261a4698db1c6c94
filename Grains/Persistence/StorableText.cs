using System.Text;

namespace TaskGrid.Grains.Persistence;

/// <summary>
/// Makes text from outside (executor results: model answers, script output, error messages)
/// storable: PostgreSQL <c>text</c> and <c>jsonb</c> refuse NUL, and a lone UTF-16 surrogate
/// cannot be encoded as UTF-8 at all. Either would fail the whole statement it is part of.
/// </summary>
internal static class StorableText
{
    /// <summary>The text without NUL characters and with lone surrogates replaced by U+FFFD.</summary>
    public static string? Clean(string? text)
    {
        if (text is null || !NeedsCleaning(text))
        {
            return text;
        }
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else
            {
                clean.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return clean.ToString();
    }

    private static bool NeedsCleaning(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0' || char.IsLowSurrogate(c))
            {
                return true;
            }
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return true;
                }
                i++;
            }
        }
        return false;
    }
}
