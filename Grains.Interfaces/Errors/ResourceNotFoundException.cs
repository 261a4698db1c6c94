namespace TaskGrid.Errors;

/// <summary>The resource does not exist, or belongs to someone the caller may not see.</summary>
public sealed class ResourceNotFoundException : Exception
{
    /// <summary>Creates the exception for a resource type and id.</summary>
    public ResourceNotFoundException(string resource, string id)
        : base($"{resource} '{id}' was not found.")
    {
        Resource = resource;
        Id = id;
    }

    /// <summary>The kind of resource, for example <c>task</c>.</summary>
    public string Resource { get; }

    /// <summary>The id that was asked for.</summary>
    public string Id { get; }
}
