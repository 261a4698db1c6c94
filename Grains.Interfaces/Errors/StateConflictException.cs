namespace TaskGrid.Errors;

/// <summary>The operation is not allowed in the resource's current state (HTTP 409).</summary>
/// <param name="message">What the state is and what the caller can do instead.</param>
public sealed class StateConflictException(string message) : Exception(message);
