using TaskGrid.Errors;
using TaskGrid.Templates;

namespace TaskGrid.Validation;

/// <summary>Checks a <see cref="CreateGridTemplateRequest"/> and names every bad field.</summary>
public static class GridTemplateValidator
{
    /// <summary>Validates the request; returns its parsed schedule or throws naming the bad fields.</summary>
    public static CronSchedule ThrowIfInvalid(CreateGridTemplateRequest? request, IReadOnlyCollection<string> knownKinds, int maxTasksPerCall)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("body", "must be a JSON object describing a grid template.");
            errors.ThrowIfAny();
            throw new InvalidOperationException("unreachable");
        }
        TextRules.Required(errors, "name", request.Name, TaskLimits.GridNameMaxLength);
        if (request.UserId is not null)
        {
            TextRules.Matches(errors, "user_id", request.UserId, TextRules.UserId(), "use 1-128 letters, digits, '.', '_', '@' or '-'");
        }
        CronSchedule? schedule = null;
        if (!CronSchedule.TryFindZone(request.TimeZone ?? "UTC", out _, out var zoneError))
        {
            errors.Add("time_zone", zoneError);
        }
        else if (request.Cron is not null && request.Cron.Length > 200)
        {
            errors.Add("cron", "is too long; a cron expression has five short fields, for example '0 3 * * *'.");
        }
        else if (!CronSchedule.TryParse(request.Cron, request.TimeZone ?? "UTC", out schedule, out var cronError))
        {
            errors.Add("cron", cronError);
        }
        else if (schedule!.Next(DateTimeOffset.UtcNow) is null)
        {
            errors.Add("cron", $"'{request.Cron}' never fires (for example 30 February); check the day and month fields.");
        }
        TextRules.InRange(errors, "priority", request.Priority, TaskLimits.PriorityMin, TaskLimits.PriorityMax);
        TextRules.InRange(errors, "max_concurrency", request.MaxConcurrency, 1, TaskLimits.MaxConcurrencyMax);
        TextRules.InRange(errors, "max_attempts", request.MaxAttempts, TaskLimits.MaxAttemptsMin, TaskLimits.MaxAttemptsMax);
        TextRules.InRange(errors, "task_ttl_seconds", request.TaskTtlSeconds, 1, TaskLimits.TtlSecondsMax);
        if (request.MissedTicks is not null and not MissedTickPolicy.RunOnce and not MissedTickPolicy.Skip)
        {
            errors.Add("missed_ticks", $"must be '{MissedTickPolicy.RunOnce}' (one run for the latest missed tick) or '{MissedTickPolicy.Skip}' (no run for missed ticks).");
        }
        if (request.Tasks is null || request.Tasks.Count == 0)
        {
            errors.Add("tasks", "must list at least one task for every run.");
        }
        else if (request.Tasks.Count > maxTasksPerCall)
        {
            throw new RequestTooLargeException($"A template's runs start with at most {maxTasksPerCall} tasks; this one has {request.Tasks.Count}.");
        }
        else
        {
            for (var i = 0; i < request.Tasks.Count; i++)
            {
                TaskRequestValidator.Validate(errors, request.Tasks[i], knownKinds, $"tasks[{i}].");
                // A template keeps its tasks as JSON (jsonb refuses NUL), including fields the
                // task's kind ignores and so never checks.
                if (System.Text.Json.JsonSerializer.Serialize(request.Tasks[i]).Contains("\\u0000", StringComparison.Ordinal))
                {
                    errors.Add($"tasks[{i}]", "must not contain NUL (\\u0000) characters in any field.");
                }
                if (request.Tasks[i] is { RunAt: not null })
                {
                    errors.Add($"tasks[{i}].run_at", "a template's tasks repeat; use delay_seconds (from the run's creation) instead of a fixed time.");
                }
            }
        }
        errors.ThrowIfAny();
        return schedule!;
    }
}
