namespace TaskGrid.Silo.Workers;

// What a worker logs, as source-generated LoggerMessage methods.
internal sealed partial class WorkerLoop
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The log lines of task {TaskId} were not stored in time; recording its outcome anyway")]
    private partial void LogFlushSlow(Guid taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} could not claim: {Reason}")]
    private partial void LogClaimFailed(string workerId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {WorkerId} failed to claim; trying again in 5 s")]
    private partial void LogClaimCrashed(string workerId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} could not register: {Reason}; retrying")]
    private partial void LogRegisterFailed(string workerId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Attempt {Attempt} of task {TaskId} stopped: {Reason}")]
    private partial void LogStopped(Guid taskId, int attempt, StopReason reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Kind} executor threw on task {TaskId}")]
    private partial void LogExecutorThrew(Guid taskId, string kind, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease of task {TaskId} attempt {Attempt} was lost; stopping the attempt")]
    private partial void LogLeaseLost(Guid taskId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} could not renew {Count} leases: {Reason}")]
    private partial void LogRenewFailed(string workerId, int count, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Worker {WorkerId} could not report: {Reason}")]
    private partial void LogReportFailed(string workerId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} handed {Count} unfinished tasks back to pending")]
    private partial void LogReleased(string workerId, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Worker {WorkerId} could not close {Count} settled leases ({Reason}); they lapse instead")]
    private partial void LogCloseFailed(string workerId, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} could not hand back {Count} tasks ({Reason}); they run again when their leases lapse")]
    private partial void LogReleaseFailed(string workerId, int count, string reason);
}
