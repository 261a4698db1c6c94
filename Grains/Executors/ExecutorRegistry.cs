namespace TaskGrid.Grains.Executors;

/// <summary>The executors this silo runs, by kind.</summary>
public sealed class ExecutorRegistry
{
    private readonly Dictionary<string, ITaskExecutor> _byKind;

    /// <summary>Indexes the registered executors; two for one kind is a start-up error.</summary>
    public ExecutorRegistry(IEnumerable<ITaskExecutor> executors)
    {
        _byKind = new Dictionary<string, ITaskExecutor>(StringComparer.Ordinal);
        foreach (var executor in executors)
        {
            if (!_byKind.TryAdd(executor.Kind, executor))
            {
                throw new InvalidOperationException($"Two executors are registered for task kind '{executor.Kind}': {_byKind[executor.Kind].GetType().Name} and {executor.GetType().Name}.");
            }
        }
    }

    /// <summary>The kinds this silo can run.</summary>
    public IReadOnlyCollection<string> Kinds => _byKind.Keys;

    /// <summary>The executor for <paramref name="kind"/>, if this silo has one.</summary>
    public ITaskExecutor? Find(string kind) => _byKind.GetValueOrDefault(kind);
}
