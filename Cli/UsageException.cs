namespace TaskGrid.Cli;

/// <summary>
/// Bad input from the user — a bad value, a missing or malformed file — reported as one line
/// (exit code 2), never with a stack trace. Messages name the file and line when there is one.
/// </summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UsageException()
    {
    }
}
