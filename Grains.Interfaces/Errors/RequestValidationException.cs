namespace TaskGrid.Errors;

/// <summary>The request is malformed; <see cref="Errors"/> names every bad field (HTTP 400).</summary>
public sealed class RequestValidationException : Exception
{
    /// <summary>Creates the exception from field errors, keyed by the field's JSON path.</summary>
    public RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception for one field.</summary>
    public RequestValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    /// <summary>Messages keyed by field path, for example <c>tasks[3].language</c>.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    private static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}
