using System.Globalization;
using System.Text;

namespace TaskGrid.Client.Http;

/// <summary>Builds <c>?name=value&amp;...</c>, leaving out parameters that are not set.</summary>
internal sealed class QueryString
{
    private readonly StringBuilder _text = new();

    public QueryString Add(string name, string? value)
    {
        if (value is not null)
        {
            _text.Append(_text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        return this;
    }

    public QueryString Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public QueryString Add(string name, Guid? value) => Add(name, value?.ToString());

    public override string ToString() => _text.ToString();
}
