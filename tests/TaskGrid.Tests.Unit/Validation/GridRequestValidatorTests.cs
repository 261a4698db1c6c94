using TaskGrid.Errors;
using System.Diagnostics;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Validation;

namespace TaskGrid.Tests.Unit.Validation;

public sealed class GridRequestValidatorTests
{
    private const int Cap = 10;

    private static readonly string[] s_kinds = [TaskKinds.Codegen, TaskKinds.Script, TaskKinds.Noop];

    private static readonly CreateGridRequest s_grid = new() { Name = "nightly" };

    private static readonly SubmitTaskRequest s_task = new() { Objective = "add two numbers", Language = "python" };

    private static void Validate(CreateGridRequest? request) => GridRequestValidator.ThrowIfInvalid(request, s_kinds, Cap);

    private static void ValidateBulk(IReadOnlyList<SubmitTaskRequest>? tasks) => GridRequestValidator.ThrowIfInvalid(tasks, s_kinds, Cap);

    private static GridMatrix Matrix(int objectives, int languages) => new()
    {
        Objectives = [.. Enumerable.Range(0, objectives).Select(i => $"objective {i}")],
        Languages = [.. Enumerable.Range(0, languages).Select(i => $"lang{i}")],
    };

    [Fact]
    public void Valid_grids_pass()
    {
        Validate(s_grid);
        Validate(s_grid with { Priority = 1000, MaxConcurrency = TaskLimits.MaxConcurrencyMax, MaxAttempts = 100, TaskTtlSeconds = 1, Tasks = [s_task, s_task] });
        Validate(s_grid with { Matrix = Matrix(2, 5) });
        Validate(s_grid with { Tasks = [s_task, s_task, s_task], Matrix = Matrix(7, 1) });
        Validate(s_grid with { Name = new string('n', TaskLimits.GridNameMaxLength) });
    }

    [Fact]
    public void A_missing_body_is_named() => ValidationAssert.NamesOnly(() => Validate(null), "body");

    public static TheoryData<string, CreateGridRequest> OneBadField() => new()
    {
        { "name", s_grid with { Name = null } },
        { "name", s_grid with { Name = " " } },
        { "name", s_grid with { Name = new string('n', TaskLimits.GridNameMaxLength + 1) } },
        { "name", s_grid with { Name = "nul\0" } },
        { "name", s_grid with { Name = "\uD800" } },
        { "user_id", s_grid with { UserId = "not a user" } },
        { "priority", s_grid with { Priority = 1001 } },
        { "max_concurrency", s_grid with { MaxConcurrency = 0 } },
        { "max_concurrency", s_grid with { MaxConcurrency = TaskLimits.MaxConcurrencyMax + 1 } },
        { "max_attempts", s_grid with { MaxAttempts = 0 } },
        { "max_attempts", s_grid with { MaxAttempts = 101 } },
        { "task_ttl_seconds", s_grid with { TaskTtlSeconds = 0 } },
        { "task_ttl_seconds", s_grid with { TaskTtlSeconds = TaskLimits.TtlSecondsMax + 1 } },
        { "tasks[1].objective", s_grid with { Tasks = [s_task, s_task with { Objective = "" }] } },
        { "tasks[0].kind", s_grid with { Tasks = [s_task with { Kind = "teleport" }] } },
        { "tasks[0]", s_grid with { Tasks = [null!] } },
        { "matrix.objectives", s_grid with { Matrix = new GridMatrix { Languages = ["go"] } } },
        { "matrix.languages", s_grid with { Matrix = new GridMatrix { Objectives = ["x"], Languages = [] } } },
        { "matrix[1].language", s_grid with { Matrix = new GridMatrix { Objectives = ["x"], Languages = ["go", "b@d"] } } },
        { "matrix[0].kind", s_grid with { Matrix = new GridMatrix { Objectives = ["x"], Languages = ["go"], Template = new SubmitTaskRequest { Kind = "teleport" } } } },
        { "matrix[0].max_attempts", s_grid with { Matrix = new GridMatrix { Objectives = ["x"], Languages = ["go"], Template = new SubmitTaskRequest { MaxAttempts = 0 } } } },
    };

    [Theory]
    [MemberData(nameof(OneBadField))]
    public void One_bad_field_is_named_and_nothing_else(string field, CreateGridRequest request) =>
        ValidationAssert.NamesOnly(() => Validate(request), field);

    // Too many tasks in one call is "too large" (413), not a field error: the request is well
    // formed, just bigger than one call may carry.
    [Fact]
    public void A_matrix_that_expands_past_the_per_call_cap_is_refused_by_its_count()
    {
        Validate(s_grid with { Matrix = Matrix(2, 5) });
        var refused = Assert.Throws<RequestTooLargeException>(() => Validate(s_grid with { Matrix = Matrix(3, 4) }));
        Assert.Contains("12 tasks", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"at most {Cap}", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inline_tasks_and_the_matrix_count_together_against_the_cap()
    {
        var refused = Assert.Throws<RequestTooLargeException>(() => Validate(s_grid with { Tasks = [s_task, s_task], Matrix = Matrix(3, 3) }));
        Assert.Contains("11 tasks", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_inline_tasks_are_refused_as_too_large()
    {
        var refused = Assert.Throws<RequestTooLargeException>(() => Validate(s_grid with { Tasks = [.. Enumerable.Repeat(s_task, Cap + 1)] }));
        Assert.Contains($"{Cap + 1} tasks", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_matrix_whose_size_overflows_an_int_is_refused_without_expanding_it()
    {
        // 65,536 × 65,536 = 2^32, which wraps to 0 in 32-bit arithmetic: the request (a few
        // hundred KB of JSON) must be refused by its count, not expanded into four billion tasks.
        var objectives = Enumerable.Range(0, 65_536).Select(i => "o").ToArray();
        var languages = Enumerable.Range(0, 65_536).Select(i => "l").ToArray();
        var watch = Stopwatch.StartNew();
        var refused = Assert.Throws<RequestTooLargeException>(
            () => Validate(s_grid with { Matrix = new GridMatrix { Objectives = objectives, Languages = languages } }));
        Assert.Contains("4294967296 tasks", refused.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "validation expanded the matrix instead of counting it");
    }

    [Fact]
    public void The_matrix_expands_to_every_objective_and_language_with_the_template()
    {
        var tasks = GridRequestValidator.ExpandMatrix(new GridMatrix
        {
            Objectives = ["a", "b"],
            Languages = ["go", "rust", "c"],
            Template = new SubmitTaskRequest { Priority = 7, MaxAttempts = 2 },
        });
        Assert.Equal(
            [("a", "go"), ("a", "rust"), ("a", "c"), ("b", "go"), ("b", "rust"), ("b", "c")],
            tasks.Select(t => (t.Objective, t.Language)).Select(p => (p.Objective!, p.Language!)));
        Assert.All(tasks, t => Assert.Equal((7, 2, (string?)null), (t.Priority!.Value, t.MaxAttempts!.Value, t.Kind)));
    }

    [Fact]
    public void A_bulk_add_names_the_bad_element()
    {
        ValidateBulk([s_task, s_task]);
        ValidationAssert.NamesOnly(() => ValidateBulk([s_task, s_task, s_task with { Language = "a;b" }]), "[2].language");
    }

    [Fact]
    public void A_bulk_add_must_be_a_non_empty_list_within_the_cap()
    {
        ValidationAssert.NamesOnly(() => ValidateBulk(null), "body");
        ValidationAssert.NamesOnly(() => ValidateBulk([]), "body");
        var refused = Assert.Throws<RequestTooLargeException>(() => ValidateBulk([.. Enumerable.Repeat(s_task, Cap + 1)]));
        Assert.Contains($"at most {Cap}", refused.Message, StringComparison.Ordinal);
    }
}
