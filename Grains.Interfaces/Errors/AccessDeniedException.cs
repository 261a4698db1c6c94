namespace TaskGrid.Errors;

/// <summary>The caller is known but may not do this (HTTP 403), for example a user acting for another user.</summary>
/// <param name="message">What is not allowed and who may do it.</param>
public sealed class AccessDeniedException(string message) : Exception(message);
