using TaskGrid.Tasks;
using TaskGrid.Workers;

namespace TaskGrid.Grains.Executors;

/// <summary>Completes at once: measures the engine itself (benchmarks, smoke tests).</summary>
internal sealed class NoopExecutor : ITaskExecutor
{
    private static readonly Task<ExecutionOutcome> s_done = Task.FromResult<ExecutionOutcome>(new ExecutionOutcome.Succeeded());

    public string Kind => TaskKinds.Noop;

    public Task<ExecutionOutcome> ExecuteAsync(ClaimedTask task, CancellationToken cancellationToken) => s_done;
}
