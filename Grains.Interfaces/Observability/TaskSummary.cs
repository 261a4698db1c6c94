namespace TaskGrid.Observability;

/// <summary>Task counts as one caller may see them, read from counters (never by counting task rows).</summary>
/// <param name="Scope"><c>cluster</c> for an admin (every task); <c>own</c> for a user (their own tasks).</param>
/// <param name="Tasks">Tasks per state.</param>
public sealed record TaskSummary(string Scope, TaskStateCounts Tasks);
