namespace TaskGrid.Errors;

/// <summary>The request carries more than one call may (HTTP 413), for example too many tasks in a bulk add.</summary>
/// <param name="message">The limit, what was sent, and how to split it.</param>
public sealed class RequestTooLargeException(string message) : Exception(message);
