namespace TaskGrid.Access;

/// <summary>What a user may do.</summary>
public enum CallerRole
{
    /// <summary>Sees and changes only their own tasks, grids, artifacts and logs.</summary>
    User,

    /// <summary>Sees and changes everything and manages users and keys.</summary>
    Admin,
}
