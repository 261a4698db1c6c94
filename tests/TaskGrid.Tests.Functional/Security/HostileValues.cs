using System.Globalization;
using System.Text;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>The catalogue of hostile values, by what the field is declared to hold.</summary>
public static class HostileValues
{
    /// <summary>Text that attacks storage, parsers, shells and paths.</summary>
    public static IReadOnlyList<HostileValue> Strings { get; } =
    [
        HostileValue.Quoted("empty", ""),
        HostileValue.Quoted("blank", "   \t "),
        HostileValue.Quoted("NUL", "\0"),
        HostileValue.Quoted("NUL inside", "before\0after"),
        HostileValue.Text("unpaired high surrogate", "\"x\\uD800\""),
        HostileValue.Text("unpaired low surrogate", "\"\\uDC00x\""),
        HostileValue.Text("reversed surrogates", "\"\\uDC00\\uD800\""),
        HostileValue.RawString("invalid UTF-8 0xFF 0xFE", 0x61, 0xFF, 0xFE, 0x62),
        HostileValue.RawString("overlong UTF-8 slash", 0xC0, 0xAF),
        HostileValue.RawString("UTF-8 encoded surrogate (CESU)", 0xED, 0xA0, 0x80),
        HostileValue.RawString("truncated UTF-8 sequence", 0x61, 0xE2, 0x82),
        HostileValue.RawString("raw control characters", 0x01, 0x02, 0x1B, 0x7F),
        HostileValue.Quoted("100 KB", new string('x', 100 * 1024)),
        HostileValue.Quoted("100 KB of two-byte characters", new string('é', 50 * 1024)),
        HostileValue.Quoted("20,001 characters", new string('y', 20_001)),
        HostileValue.Quoted("SQL: drop table", "'; drop table tasks; --"),
        HostileValue.Quoted("SQL: or 1=1", "\" OR 1=1 --"),
        HostileValue.Quoted("SQL: union select", "x' union select id, hash from api_keys --"),
        HostileValue.Quoted("SQL: dollar quote", "$$; delete from users; $$"),
        HostileValue.Quoted("shell: command substitution", "$(rm -rf /)"),
        HostileValue.Quoted("shell: backticks", "`rm -rf /`"),
        HostileValue.Quoted("shell: chained", "x; cat /etc/passwd | nc 127.0.0.1 9 &"),
        HostileValue.Quoted("path traversal", "../../etc/passwd"),
        HostileValue.Quoted("encoded path traversal", "%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
        HostileValue.Quoted("windows path traversal", "..\\..\\windows\\win.ini"),
        HostileValue.Quoted("absolute path", "/etc/shadow"),
        HostileValue.Quoted("header injection", "x\r\nX-Injected: 1"),
        HostileValue.Quoted("html", "<script>alert(1)</script>"),
        HostileValue.Quoted("template and lookup", "${jndi:ldap://127.0.0.1/a}{{7*7}}"),
        HostileValue.Quoted("format string", "%s%s%n{0}{1}"),
        HostileValue.Quoted("right-to-left override", "abc\u202Edef"),
        HostileValue.Quoted("emoji and combining marks", "😀a\u0301\u0301\u0301"),
        HostileValue.Quoted("zero-width", "\u200B\uFEFF"),
        HostileValue.Quoted("looks like null", "null"),
        HostileValue.Quoted("looks like a number", "NaN"),
        HostileValue.Quoted("quotes and backslashes", "\\\"'\\\\"),
    ];

    /// <summary>Numbers out of range or of the wrong kind, and number syntax JSON does not allow.</summary>
    public static IReadOnlyList<HostileValue> Integers { get; } =
    [
        HostileValue.Text("-1", "-1"),
        HostileValue.Text("0", "0"),
        HostileValue.Text("int.MinValue", int.MinValue.ToString(CultureInfo.InvariantCulture)),
        HostileValue.Text("int.MaxValue", int.MaxValue.ToString(CultureInfo.InvariantCulture)),
        HostileValue.Text("int.MaxValue + 1", "2147483648"),
        HostileValue.Text("int.MinValue - 1", "-2147483649"),
        HostileValue.Text("99999999999", "99999999999"),
        HostileValue.Text("-99999999999", "-99999999999"),
        HostileValue.Text("fraction", "1.5"),
        HostileValue.Text("negative fraction", "-0.5"),
        HostileValue.Text("1.0", "1.0"),
        HostileValue.Text("exponent", "1E2"),
        HostileValue.Text("huge exponent", "1e400"),
        HostileValue.Text("negative zero", "-0"),
        HostileValue.Text("number as string", "\"5\""),
        HostileValue.Text("NaN literal (not JSON)", "NaN"),
        HostileValue.Text("Infinity literal (not JSON)", "Infinity"),
        HostileValue.Text("hex (not JSON)", "0x10"),
        HostileValue.Text("leading zero (not JSON)", "007"),
        HostileValue.Text("plus sign (not JSON)", "+1"),
        HostileValue.Text("400 digits", new string('9', 400)),
    ];

    /// <summary>Values of every JSON type, for any field: most are the wrong type somewhere.</summary>
    public static IReadOnlyList<HostileValue> WrongTypes { get; } =
    [
        HostileValue.Text("null", "null"),
        HostileValue.Text("true", "true"),
        HostileValue.Text("number", "42"),
        HostileValue.Text("string", "\"text\""),
        HostileValue.Text("empty object", "{}"),
        HostileValue.Text("empty array", "[]"),
        HostileValue.Text("array of nulls", "[null, null]"),
        HostileValue.Text("array of objects", "[{\"a\": 1}]"),
        HostileValue.Text("object with fields", "{\"objective\": \"x\", \"language\": \"python\"}"),
        HostileValue.Text("nested 1,000 deep", Nested(1_000)),
        HostileValue.Text("single quotes (not JSON)", "'text'"),
        HostileValue.Text("unterminated string", "\"abc"),
    ];

    /// <summary>Unknown values for an enumeration.</summary>
    public static IReadOnlyList<HostileValue> EnumValues { get; } =
    [
        HostileValue.Quoted("unknown value", "root"),
        HostileValue.Quoted("wrong case", "ADMIN"),
        HostileValue.Quoted("trailing space", "admin "),
        HostileValue.Quoted("empty", ""),
        HostileValue.Quoted("NUL suffix", "user\0"),
        HostileValue.Quoted("SQL", "admin'; update users set role = 'admin'; --"),
        HostileValue.Text("integer for an enum", "1"),
        HostileValue.Text("negative integer for an enum", "-1"),
    ];

    /// <summary>Arrays too long, with bad items, or nested too deep.</summary>
    public static IReadOnlyList<HostileValue> Arrays { get; } =
    [
        HostileValue.Text("array with a null item", "[null]"),
        HostileValue.Text("array with a number item", "[1]"),
        HostileValue.Text("array with a NUL item", "[\"\\u0000\"]"),
        HostileValue.Text("array of arrays", "[[\"a\"]]"),
        HostileValue.Text("array of 101 items", Repeat("\"a\"", 101)),
        HostileValue.Text("array of 10,000 items", Repeat("\"a\"", 10_000)),
        HostileValue.Text("array of 10,000 empty objects", Repeat("{}", 10_000)),
        HostileValue.Text("object instead of array", "{\"0\": \"a\"}"),
    ];

    /// <summary>Maps (such as a script's <c>env</c>) with hostile keys and values.</summary>
    public static IReadOnlyList<HostileValue> Maps { get; } =
    [
        HostileValue.Text("empty key", "{\"\": \"x\"}"),
        HostileValue.Text("NUL key", "{\"\\u0000\": \"x\"}"),
        HostileValue.Text("surrogate key", "{\"\\uD800\": \"x\"}"),
        HostileValue.Text("key starting with a digit", "{\"1A\": \"x\"}"),
        HostileValue.Text("key with shell metacharacters", "{\"A;rm -rf /\": \"x\"}"),
        HostileValue.Text("null value", "{\"A\": null}"),
        HostileValue.Text("number value", "{\"A\": 1}"),
        HostileValue.Text("object value", "{\"A\": {}}"),
        HostileValue.Text("LD_PRELOAD", "{\"LD_PRELOAD\": \"/tmp/evil.so\"}"),
        HostileValue.Text("10 KB key", $"{{\"{new string('K', 10_240)}\": \"x\"}}"),
        HostileValue.Text("65 keys", "{" + string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"K{i}\": \"v\"")) + "}"),
        HostileValue.Text("duplicate keys", "{\"A\": \"x\", \"A\": \"y\"}"),
        HostileValue.Text("array instead of object", "[\"A=x\"]"),
    ];

    /// <summary><c>[[[...]]]</c> <paramref name="depth"/> deep.</summary>
    public static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    /// <summary><c>{"a":{"a":...}}</c> <paramref name="depth"/> deep.</summary>
    public static string NestedObjects(int depth)
    {
        var text = new StringBuilder(depth * 7);
        text.Insert(0, "{\"a\":", depth).Append('1').Append('}', depth);
        return text.ToString();
    }

    private static string Repeat(string item, int count) => "[" + string.Join(",", Enumerable.Repeat(item, count)) + "]";
}
