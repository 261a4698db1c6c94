using TaskGrid.Access;

namespace TaskGrid.Templates;

/// <summary>One grid template, keyed by its id; the scheduler creates its runs. Users see only their own.</summary>
public interface IGridTemplateGrain
{
    /// <summary>The template's id.</summary>
    Guid Id { get; }

    /// <summary>Creates the template; its first run comes at the next tick.</summary>
    Task<GridTemplateView> CreateAsync(Caller caller, CreateGridTemplateRequest request, CancellationToken cancellationToken = default);

    /// <summary>The template with its next and last ticks.</summary>
    Task<GridTemplateView> GetAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>Deletes the template; runs already created stay.</summary>
    Task DeleteAsync(Caller caller, CancellationToken cancellationToken = default);
}
