using TaskGrid.Errors;

namespace TaskGrid.Validation;

/// <summary>Collects field errors, keyed by JSON path, and throws them all at once.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>Whether any error was recorded.</summary>
    public bool Any => _errors.Count > 0;

    /// <summary>Records that <paramref name="field"/> is wrong and why.</summary>
    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }
        messages.Add(message);
    }

    /// <summary>Throws <see cref="RequestValidationException"/> when any error was recorded.</summary>
    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new RequestValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }
    }
}
