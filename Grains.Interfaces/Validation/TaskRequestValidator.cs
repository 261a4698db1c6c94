using System.Text.RegularExpressions;
using TaskGrid.Tasks;

namespace TaskGrid.Validation;

/// <summary>Checks a <see cref="SubmitTaskRequest"/> and names every bad field.</summary>
public static partial class TaskRequestValidator
{
    /// <summary>Adds the request's errors to <paramref name="errors"/>, field names prefixed by <paramref name="path"/>.</summary>
    /// <param name="errors">Where errors go.</param>
    /// <param name="request">The request; null is itself an error.</param>
    /// <param name="knownKinds">The task kinds this cluster runs.</param>
    /// <param name="path">Prefix such as <c>tasks[3].</c>, or empty.</param>
    public static void Validate(ValidationErrors errors, SubmitTaskRequest? request, IReadOnlyCollection<string> knownKinds, string path = "")
    {
        if (request is null)
        {
            errors.Add(path.Length == 0 ? "body" : path.TrimEnd('.'), "must be a JSON object describing a task.");
            return;
        }

        var kind = request.Kind ?? TaskKinds.Codegen;
        if (!knownKinds.Contains(kind))
        {
            errors.Add(path + "kind", $"'{kind}' is not a task kind; use one of {string.Join(", ", knownKinds)}.");
        }
        if (request.UserId is not null)
        {
            TextRules.Matches(errors, path + "user_id", request.UserId, TextRules.UserId(), "use 1-128 letters, digits, '.', '_', '@' or '-'");
        }
        TextRules.InRange(errors, path + "priority", request.Priority, TaskLimits.PriorityMin, TaskLimits.PriorityMax);
        TextRules.InRange(errors, path + "max_attempts", request.MaxAttempts, TaskLimits.MaxAttemptsMin, TaskLimits.MaxAttemptsMax);
        TextRules.InRange(errors, path + "ttl_seconds", request.TtlSeconds, 1, TaskLimits.TtlSecondsMax);
        TextRules.InRange(errors, path + "timeout_seconds", request.TimeoutSeconds, 1, TaskLimits.TimeoutSecondsMax);

        switch (kind)
        {
            case TaskKinds.Codegen:
                TextRules.Required(errors, path + "objective", request.Objective, TaskLimits.ObjectiveMaxLength);
                TextRules.Required(errors, path + "language", request.Language, TaskLimits.LanguageMaxLength);
                TextRules.Matches(errors, path + "language", request.Language, LanguagePattern(), "use letters, digits, spaces and + # . _ / -");
                break;
            case TaskKinds.Script:
                ValidateScript(errors, request, path);
                // Not read by scripts, but stored: they must still be text PostgreSQL accepts.
                TextRules.Optional(errors, path + "objective", request.Objective, TaskLimits.ObjectiveMaxLength);
                TextRules.Optional(errors, path + "language", request.Language, TaskLimits.LanguageMaxLength);
                break;
            default:
                TextRules.Optional(errors, path + "objective", request.Objective, TaskLimits.ObjectiveMaxLength);
                TextRules.Optional(errors, path + "language", request.Language, TaskLimits.LanguageMaxLength);
                break;
        }
    }

    /// <summary>Validates one request and throws <see cref="Errors.RequestValidationException"/> if it is bad.</summary>
    public static void ThrowIfInvalid(SubmitTaskRequest? request, IReadOnlyCollection<string> knownKinds)
    {
        var errors = new ValidationErrors();
        Validate(errors, request, knownKinds);
        errors.ThrowIfAny();
    }

    private static void ValidateScript(ValidationErrors errors, SubmitTaskRequest request, string path)
    {
        if (request.Source is null && request.ArtifactId is null)
        {
            errors.Add(path + "source", "is required for a script task unless artifact_id names an uploaded script.");
        }
        else if (request.Source is not null && request.ArtifactId is not null)
        {
            errors.Add(path + "artifact_id", "give either source (inline text) or artifact_id (an uploaded script), not both.");
        }
        else if (request.Source is not null)
        {
            TextRules.Required(errors, path + "source", request.Source, TaskLimits.ScriptSourceMaxLength);
        }
        if (request.ArtifactId == Guid.Empty)
        {
            errors.Add(path + "artifact_id", "must be the id of an artifact (POST /v1/artifacts answers it).");
        }
        if (string.IsNullOrEmpty(request.Interpreter))
        {
            errors.Add(path + "interpreter", "is required for a script task, for example 'bash' or 'python3'.");
        }
        TextRules.Matches(errors, path + "interpreter", request.Interpreter, InterpreterPattern(), "use a program name such as bash, sh, python3 or node");
        if (request.Args is { } args)
        {
            if (args.Count > TaskLimits.ScriptMaxArgs)
            {
                errors.Add(path + "args", $"has {args.Count} items; the limit is {TaskLimits.ScriptMaxArgs}.");
            }
            for (var i = 0; i < args.Count && i < TaskLimits.ScriptMaxArgs; i++)
            {
                if (args[i] is null)
                {
                    errors.Add($"{path}args[{i}]", "must be a string.");
                    continue;
                }
                TextRules.Optional(errors, $"{path}args[{i}]", args[i], TaskLimits.ScriptValueMaxLength);
            }
        }
        if (request.Env is { } env)
        {
            if (env.Count > TaskLimits.ScriptMaxEnv)
            {
                errors.Add(path + "env", $"has {env.Count} variables; the limit is {TaskLimits.ScriptMaxEnv}.");
            }
            foreach (var (name, value) in env.Take(TaskLimits.ScriptMaxEnv))
            {
                TextRules.Matches(errors, $"{path}env.{name}", name, EnvNamePattern(), "variable names are letters, digits and '_', not starting with a digit");
                if (value is null)
                {
                    errors.Add($"{path}env.{name}", "must be a string.");
                    continue;
                }
                TextRules.Optional(errors, $"{path}env.{name}", value, TaskLimits.ScriptValueMaxLength);
            }
        }
    }

    [GeneratedRegex(@"^[\p{L}\p{N}+#._/ -]+$")]
    private static partial Regex LanguagePattern();

    [GeneratedRegex("^[a-z][a-z0-9._+-]{0,31}$")]
    private static partial Regex InterpreterPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex EnvNamePattern();
}
