using TaskGrid.Tasks;
using TaskGrid.Validation;

namespace TaskGrid.Tests.Unit.Validation;

public sealed class TaskRequestValidatorTests
{
    private static readonly string[] s_kinds = [TaskKinds.Codegen, TaskKinds.Script, TaskKinds.Noop];

    private static readonly SubmitTaskRequest s_codegen = new() { Objective = "add two numbers", Language = "python" };

    private static readonly SubmitTaskRequest s_script = new() { Kind = TaskKinds.Script, Source = "echo hi", Interpreter = "bash" };

    private static void Validate(SubmitTaskRequest? request) => TaskRequestValidator.ThrowIfInvalid(request, s_kinds);

    [Fact]
    public void Valid_requests_of_every_kind_pass()
    {
        Validate(s_codegen);
        Validate(s_codegen with { Kind = TaskKinds.Codegen, Language = "C# 12", Priority = 1000, MaxAttempts = 100, TtlSeconds = TaskLimits.TtlSecondsMax, TimeoutSeconds = TaskLimits.TimeoutSecondsMax });
        Validate(s_codegen with { Priority = -1000, MaxAttempts = 1, TtlSeconds = 1, TimeoutSeconds = 1, UserId = "alice@example.com" });
        Validate(s_codegen with { Objective = new string('x', TaskLimits.ObjectiveMaxLength) + "" });
        Validate(s_codegen with { Objective = "emoji 😀 are paired surrogates" });
        Validate(s_script with { Args = ["a", ""], Env = new Dictionary<string, string> { ["_X1"] = "v", ["Y"] = "" } });
        Validate(new SubmitTaskRequest { Kind = TaskKinds.Noop });
    }

    [Fact]
    public void A_missing_body_is_named() => ValidationAssert.NamesOnly(() => Validate(null), "body");

    public static TheoryData<string, SubmitTaskRequest> OneBadField() => new()
    {
        { "objective", s_codegen with { Objective = null } },
        { "objective", s_codegen with { Objective = "" } },
        { "objective", s_codegen with { Objective = "  \t\n" } },
        { "objective", s_codegen with { Objective = new string('x', TaskLimits.ObjectiveMaxLength + 1) } },
        { "objective", s_codegen with { Objective = "before\0after" } },
        { "objective", s_codegen with { Objective = "lone high \uD800 surrogate" } },
        { "objective", s_codegen with { Objective = "\uDC00 lone low surrogate" } },
        { "objective", s_codegen with { Objective = "ends with a high surrogate \uD83D" } },
        { "objective", s_codegen with { Objective = "reversed pair \uDE00\uD83D" } },
        { "language", s_codegen with { Language = null } },
        { "language", s_codegen with { Language = "py;thon" } },
        { "language", s_codegen with { Language = new string('a', TaskLimits.LanguageMaxLength + 1) } },
        { "kind", s_codegen with { Kind = "teleport" } },
        { "kind", s_codegen with { Kind = "" } },
        { "priority", s_codegen with { Priority = 1001 } },
        { "priority", s_codegen with { Priority = -1001 } },
        { "max_attempts", s_codegen with { MaxAttempts = 0 } },
        { "max_attempts", s_codegen with { MaxAttempts = 101 } },
        { "ttl_seconds", s_codegen with { TtlSeconds = 0 } },
        { "ttl_seconds", s_codegen with { TtlSeconds = TaskLimits.TtlSecondsMax + 1 } },
        { "timeout_seconds", s_codegen with { TimeoutSeconds = 0 } },
        { "timeout_seconds", s_codegen with { TimeoutSeconds = -5 } },
        { "timeout_seconds", s_codegen with { TimeoutSeconds = TaskLimits.TimeoutSecondsMax + 1 } },
        { "user_id", s_codegen with { UserId = "bob smith" } },
        { "user_id", s_codegen with { UserId = "" } },
        { "source", s_script with { Source = null } },
        { "source", s_script with { Source = new string('x', TaskLimits.ScriptSourceMaxLength + 1) } },
        { "source", s_script with { Source = "echo \0" } },
        { "interpreter", s_script with { Interpreter = "Bash" } },
        { "interpreter", s_script with { Interpreter = "/bin/bash" } },
        { "interpreter", s_script with { Interpreter = "bash; rm -rf /" } },
        { "args[1]", s_script with { Args = ["fine", null!, "also fine"] } },
        { "args[0]", s_script with { Args = ["nul\0"] } },
        { "args[0]", s_script with { Args = [new string('a', TaskLimits.ScriptValueMaxLength + 1)] } },
        { "args", s_script with { Args = [.. Enumerable.Repeat("a", TaskLimits.ScriptMaxArgs + 1)] } },
        { "env.1ABC", s_script with { Env = new Dictionary<string, string> { ["1ABC"] = "v" } } },
        { "env.A-B", s_script with { Env = new Dictionary<string, string> { ["A-B"] = "v" } } },
        { "env.EMPTY_VALUE_IS_FINE_BUT_NULL_IS_NOT", s_script with { Env = new Dictionary<string, string> { ["EMPTY_VALUE_IS_FINE_BUT_NULL_IS_NOT"] = null! } } },
        { "env.X", s_script with { Env = new Dictionary<string, string> { ["X"] = "a\0b" } } },
        { "env", s_script with { Env = Enumerable.Range(0, TaskLimits.ScriptMaxEnv + 1).ToDictionary(i => $"V{i}", i => "v") } },
        // Fields of other kinds are stored too, so they must be storable text even when the kind ignores them.
        { "objective", s_script with { Objective = "nul\0in an ignored field" } },
        { "language", s_script with { Language = "lone \uD800" } },
        { "objective", new SubmitTaskRequest { Kind = TaskKinds.Noop, Objective = "x\0" } },
    };

    [Theory]
    [MemberData(nameof(OneBadField))]
    public void One_bad_field_is_named_and_nothing_else(string field, SubmitTaskRequest request) =>
        ValidationAssert.NamesOnly(() => Validate(request), field);

    [Fact]
    public void A_script_without_an_interpreter_names_the_interpreter() =>
        ValidationAssert.NamesOnly(() => Validate(s_script with { Interpreter = null }), "interpreter");

    [Fact]
    public void Every_bad_field_is_named_at_once()
    {
        var refused = ValidationAssert.NamesOnly(
            () => Validate(new SubmitTaskRequest { Objective = "", Language = "x\0", Priority = 5000, MaxAttempts = 0 }),
            "objective", "language", "priority", "max_attempts");
        Assert.Contains("5000", refused.Errors["priority"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Field_names_carry_the_path_prefix()
    {
        var errors = new ValidationErrors();
        TaskRequestValidator.Validate(errors, s_codegen with { Language = null }, s_kinds, "tasks[7].");
        var refused = Assert.Throws<TaskGrid.Errors.RequestValidationException>(errors.ThrowIfAny);
        Assert.Equal(["tasks[7].language"], refused.Errors.Keys);
    }

    [Fact]
    public void An_unknown_kind_lists_the_known_ones()
    {
        var refused = ValidationAssert.NamesOnly(() => Validate(s_codegen with { Kind = "teleport" }), "kind");
        Assert.Contains("codegen, script, noop", refused.Errors["kind"][0], StringComparison.Ordinal);
    }
}
