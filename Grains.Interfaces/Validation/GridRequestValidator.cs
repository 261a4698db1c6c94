using TaskGrid.Errors;
using TaskGrid.Grids;
using TaskGrid.Tasks;

namespace TaskGrid.Validation;

/// <summary>Checks a <see cref="CreateGridRequest"/> and bulk task lists.</summary>
public static class GridRequestValidator
{
    /// <summary>Validates a new grid, its inline tasks and matrix; throws when anything is bad.</summary>
    /// <param name="request">The request.</param>
    /// <param name="knownKinds">The task kinds this cluster runs.</param>
    /// <param name="maxTasksPerCall">The most tasks one call may add.</param>
    public static void ThrowIfInvalid(CreateGridRequest? request, IReadOnlyCollection<string> knownKinds, int maxTasksPerCall)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("body", "must be a JSON object describing a grid.");
            errors.ThrowIfAny();
            return;
        }
        TextRules.Required(errors, "name", request.Name, TaskLimits.GridNameMaxLength);
        if (request.UserId is not null)
        {
            TextRules.Matches(errors, "user_id", request.UserId, TextRules.UserId(), "use 1-128 letters, digits, '.', '_', '@' or '-'");
        }
        TextRules.InRange(errors, "priority", request.Priority, TaskLimits.PriorityMin, TaskLimits.PriorityMax);
        TextRules.InRange(errors, "max_concurrency", request.MaxConcurrency, 1, TaskLimits.MaxConcurrencyMax);
        TextRules.InRange(errors, "max_attempts", request.MaxAttempts, TaskLimits.MaxAttemptsMin, TaskLimits.MaxAttemptsMax);
        TextRules.InRange(errors, "task_ttl_seconds", request.TaskTtlSeconds, 1, TaskLimits.TtlSecondsMax);

        // Counted in 64 bits: two lists of 65,536 short strings multiply to 2^32, which wraps to
        // 0 in an int and would pass the cap, then expand into four billion tasks.
        long taskCount = request.Tasks?.Count ?? 0;
        if (request.Matrix is { Args: not null } scriptMatrix)
        {
            taskCount += ValidateArgAxes(errors, scriptMatrix);
        }
        else if (request.Matrix is { } matrix)
        {
            long objectives = matrix.Objectives?.Count ?? 0;
            long languages = matrix.Languages?.Count ?? 0;
            if (objectives == 0)
            {
                errors.Add("matrix.objectives", "must list at least one objective.");
            }
            if (languages == 0)
            {
                errors.Add("matrix.languages", "must list at least one language.");
            }
            taskCount += objectives * languages;
        }
        if (taskCount > maxTasksPerCall)
        {
            throw new RequestTooLargeException(
                $"This grid would start with {taskCount} tasks; one call adds at most {maxTasksPerCall}. Create the grid, then add the rest with POST /v1/grids/{{id}}/tasks in batches of up to {maxTasksPerCall}.");
        }
        ValidateTasks(errors, request.Tasks, knownKinds, "tasks");
        errors.ThrowIfAny();
        if (request.Matrix is { } m)
        {
            ValidateTasks(errors, ExpandMatrix(m), knownKinds, "matrix");
        }
        errors.ThrowIfAny();
    }

    /// <summary>Validates a bulk add; throws when anything is bad.</summary>
    public static void ThrowIfInvalid(IReadOnlyList<SubmitTaskRequest>? tasks, IReadOnlyCollection<string> knownKinds, int maxTasksPerCall)
    {
        var errors = new ValidationErrors();
        if (tasks is null || tasks.Count == 0)
        {
            errors.Add("body", "must be a non-empty JSON array of tasks.");
        }
        else if (tasks.Count > maxTasksPerCall)
        {
            throw new RequestTooLargeException($"The body has {tasks.Count} tasks; one call adds at most {maxTasksPerCall}. Split the list into batches of up to {maxTasksPerCall}.");
        }
        else
        {
            ValidateTasks(errors, tasks, knownKinds, "");
        }
        errors.ThrowIfAny();
    }

    /// <summary>
    /// One task per combination, each built from the matrix template: objective × language, or
    /// one value from every argument axis (appended, in axis order, to the template's args).
    /// </summary>
    public static IReadOnlyList<SubmitTaskRequest> ExpandMatrix(GridMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var template = matrix.Template ?? new SubmitTaskRequest();
        if (matrix.Args is { } axes)
        {
            template = template.Kind is null ? template with { Kind = TaskKinds.Script } : template;
            IEnumerable<IReadOnlyList<string>> combinations = [[]];
            foreach (var axis in axes)
            {
                combinations = combinations.SelectMany(prefix => axis.Select(value => (IReadOnlyList<string>)[.. prefix, value]));
            }
            var baseArgs = template.Args ?? [];
            return [.. combinations.Select(combination => template with { Args = [.. baseArgs, .. combination] })];
        }
        var tasks = new List<SubmitTaskRequest>();
        foreach (var objective in matrix.Objectives ?? [])
        {
            foreach (var language in matrix.Languages ?? [])
            {
                tasks.Add(template with { Objective = objective, Language = language });
            }
        }
        return tasks;
    }

    // Checks the axes of a script matrix; returns how many tasks it expands to (saturating).
    private static long ValidateArgAxes(ValidationErrors errors, GridMatrix matrix)
    {
        var axes = matrix.Args!;
        if (matrix.Objectives is not null || matrix.Languages is not null)
        {
            errors.Add("matrix.args", "a matrix has either args (script) or objectives and languages (codegen), not both.");
        }
        if (axes.Count == 0)
        {
            errors.Add("matrix.args", "must list at least one axis of argument values.");
        }
        if (axes.Count > TaskLimits.MatrixMaxAxes)
        {
            errors.Add("matrix.args", $"has {axes.Count} axes; the limit is {TaskLimits.MatrixMaxAxes}.");
            return 0;
        }
        long combinations = 1;
        for (var i = 0; i < axes.Count; i++)
        {
            var axis = axes[i];
            if (axis is null || axis.Count == 0)
            {
                errors.Add($"matrix.args[{i}]", "must list at least one value.");
                combinations = 0;
                continue;
            }
            for (var j = 0; j < axis.Count; j++)
            {
                if (axis[j] is null)
                {
                    errors.Add($"matrix.args[{i}][{j}]", "must be a string.");
                    continue;
                }
                TextRules.Optional(errors, $"matrix.args[{i}][{j}]", axis[j], TaskLimits.ScriptValueMaxLength);
            }
            combinations = Math.Min(combinations * axis.Count, int.MaxValue);
        }
        return combinations;
    }

    private static void ValidateTasks(ValidationErrors errors, IReadOnlyList<SubmitTaskRequest>? tasks, IReadOnlyCollection<string> knownKinds, string path)
    {
        if (tasks is null)
        {
            return;
        }
        var prefix = path.Length == 0 ? "" : path;
        for (var i = 0; i < tasks.Count; i++)
        {
            TaskRequestValidator.Validate(errors, tasks[i], knownKinds, $"{prefix}[{i}].");
        }
    }
}
