using TaskGrid.Access;

namespace TaskGrid.Users;

/// <summary>A user as the API shows it.</summary>
/// <param name="Id">The user id, the owner of their tasks and grids.</param>
/// <param name="Name">The display name.</param>
/// <param name="Role">What the user may do.</param>
/// <param name="MaxPendingTasks">Their own cap on pending tasks, or null for the cluster default.</param>
/// <param name="Disabled">Whether the user is disabled (their keys do not work).</param>
/// <param name="CreatedAt">When the user was created.</param>
/// <param name="Version">Increases with every change; the ETag.</param>
public sealed record UserView(string Id, string Name, CallerRole Role, int? MaxPendingTasks, bool Disabled, DateTimeOffset CreatedAt, long Version);
