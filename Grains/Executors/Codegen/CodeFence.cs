using System.Text.RegularExpressions;

namespace TaskGrid.Grains.Executors.Codegen;

/// <summary>Takes the code out of a model's answer.</summary>
public static partial class CodeFence
{
    /// <summary>
    /// The body of the first fenced block (<c>```lang ... ```</c> or <c>~~~</c>), or the whole answer
    /// trimmed when it has none (models sometimes answer with bare code).
    /// </summary>
    public static string Extract(string answer)
    {
        var match = FencedBlock().Match(answer);
        if (match.Success)
        {
            return match.Groups["body"].Value.TrimEnd('\r', '\n');
        }
        // An unterminated fence (the answer was cut off): keep what follows the opening line.
        var open = OpeningFence().Match(answer);
        return open.Success ? answer[(open.Index + open.Length)..].Trim('\r', '\n') : answer.Trim();
    }

    // The body may be empty; "$" matches before "\n" only, so a CRLF answer's "\r" is allowed explicitly.
    [GeneratedRegex(@"^(?<fence>`{3,}|~{3,})[^\r\n]*\r?\n(?:(?<body>.*?)\r?\n)?\k<fence>[ \t]*\r?$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"^(`{3,}|~{3,})[^\r\n]*\r?\n", RegexOptions.Multiline)]
    private static partial Regex OpeningFence();
}
