using TaskGrid.Tasks;

namespace TaskGrid.Grains.Tasks;

/// <summary>A validated task with every default applied, ready to insert.</summary>
internal sealed record NewTask(
    Guid Id,
    string UserId,
    Guid? GridId,
    string Kind,
    int Priority,
    string? Objective,
    string? Language,
    ScriptSpec? Script,
    int MaxAttempts,
    TimeSpan? Timeout,
    TimeSpan? Ttl)
{
    /// <summary>Applies defaults: the grid's when the task joins one, else the cluster's.</summary>
    public static NewTask From(SubmitTaskRequest request, Guid id, string owner, TaskDefaults defaults, Guid? gridId) => new(
        Id: id,
        UserId: owner,
        GridId: gridId,
        Kind: request.Kind ?? TaskKinds.Codegen,
        Priority: request.Priority ?? defaults.Priority,
        Objective: request.Objective,
        Language: request.Language,
        Script: request.Kind == TaskKinds.Script
            ? new ScriptSpec(request.Interpreter!, request.Source, request.Args ?? [], request.Env ?? new Dictionary<string, string>(), request.ArtifactId)
            : null,
        MaxAttempts: request.MaxAttempts ?? defaults.MaxAttempts,
        Timeout: request.TimeoutSeconds is { } timeout ? TimeSpan.FromSeconds(timeout) : null,
        Ttl: request.TtlSeconds is { } ttl ? TimeSpan.FromSeconds(ttl) : defaults.Ttl);
}

/// <summary>What a task gets when its request leaves a field out.</summary>
internal sealed record TaskDefaults(int Priority, int MaxAttempts, TimeSpan? Ttl);
