using TaskGrid.Tasks;

namespace TaskGrid.Tests.Unit.Tasks;

public sealed class TaskTransitionsTests
{
    [Theory]
    [InlineData(TaskState.Pending, TaskState.Running)]
    [InlineData(TaskState.Running, TaskState.Completed)]
    [InlineData(TaskState.Running, TaskState.Pending)]
    [InlineData(TaskState.Failed, TaskState.Pending)]
    [InlineData(TaskState.Pending, TaskState.Expired)]
    public void Allowed_moves_are_allowed(TaskState from, TaskState to) => Assert.True(TaskTransitions.IsAllowed(from, to));

    [Theory]
    [InlineData(TaskState.Completed, TaskState.Pending)]
    [InlineData(TaskState.Pending, TaskState.Completed)]
    [InlineData(TaskState.Expired, TaskState.Running)]
    [InlineData(TaskState.Cancelled, TaskState.Running)]
    public void Illegal_moves_are_refused(TaskState from, TaskState to) => Assert.False(TaskTransitions.IsAllowed(from, to));

    [Fact]
    public void A_completed_task_can_be_neither_cancelled_nor_retried()
    {
        Assert.False(TaskTransitions.IsCancellable(TaskState.Completed));
        Assert.False(TaskTransitions.IsRetryable(TaskState.Completed));
        Assert.False(TaskTransitions.IsRetryable(TaskState.Running));
    }
}
