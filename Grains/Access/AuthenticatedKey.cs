using TaskGrid.Access;

namespace TaskGrid.Grains.Access;

/// <summary>Who a valid key belongs to.</summary>
/// <param name="Caller">The user and role.</param>
/// <param name="KeyId">The key's id; null for the bootstrap key.</param>
public sealed record AuthenticatedKey(Caller Caller, Guid? KeyId);
