namespace TaskGrid.Errors;

/// <summary>A configured quota would be exceeded (HTTP 429 or 413 as the gateway maps it).</summary>
/// <param name="message">Which limit, its value, and what to do.</param>
public sealed class LimitExceededException(string message) : Exception(message);
