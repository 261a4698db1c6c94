using TaskGrid.Errors;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Validation;

namespace TaskGrid.Tests.Unit.Validation;

public sealed class ScriptRequestTests
{
    private static readonly string[] s_kinds = [TaskKinds.Codegen, TaskKinds.Script, TaskKinds.Noop];

    [Fact]
    public void A_script_runs_either_inline_source_or_an_artifact()
    {
        TaskRequestValidator.ThrowIfInvalid(new SubmitTaskRequest { Kind = TaskKinds.Script, Interpreter = "bash", Source = "echo" }, s_kinds);
        TaskRequestValidator.ThrowIfInvalid(new SubmitTaskRequest { Kind = TaskKinds.Script, Interpreter = "bash", ArtifactId = Guid.NewGuid() }, s_kinds);

        var both = Assert.Throws<RequestValidationException>(() => TaskRequestValidator.ThrowIfInvalid(
            new SubmitTaskRequest { Kind = TaskKinds.Script, Interpreter = "bash", Source = "echo", ArtifactId = Guid.NewGuid() }, s_kinds));
        Assert.Equal(["artifact_id"], both.Errors.Keys.ToArray());
        var neither = Assert.Throws<RequestValidationException>(() => TaskRequestValidator.ThrowIfInvalid(
            new SubmitTaskRequest { Kind = TaskKinds.Script, Interpreter = "bash" }, s_kinds));
        Assert.Equal(["source"], neither.Errors.Keys.ToArray());
        var empty = Assert.Throws<RequestValidationException>(() => TaskRequestValidator.ThrowIfInvalid(
            new SubmitTaskRequest { Kind = TaskKinds.Script, Interpreter = "bash", ArtifactId = Guid.Empty }, s_kinds));
        Assert.Equal(["artifact_id"], empty.Errors.Keys.ToArray());
    }

    [Fact]
    public void An_argument_matrix_expands_to_every_combination_after_the_templates_own_args()
    {
        var matrix = new GridMatrix
        {
            Args = [["a", "b"], ["1", "2", "3"]],
            Template = new SubmitTaskRequest { Interpreter = "bash", Source = "echo \"$@\"", Args = ["--verbose"] },
        };

        var tasks = GridRequestValidator.ExpandMatrix(matrix);

        Assert.Equal(6, tasks.Count);
        Assert.All(tasks, t => Assert.Equal(TaskKinds.Script, t.Kind));
        Assert.Equal(
            ["--verbose a 1", "--verbose a 2", "--verbose a 3", "--verbose b 1", "--verbose b 2", "--verbose b 3"],
            tasks.Select(t => string.Join(' ', t.Args!)).ToArray());
        GridRequestValidator.ThrowIfInvalid(new CreateGridRequest { Name = "sweep", Matrix = matrix }, s_kinds, maxTasksPerCall: 6);
        Assert.Throws<RequestTooLargeException>(() => GridRequestValidator.ThrowIfInvalid(new CreateGridRequest { Name = "sweep", Matrix = matrix }, s_kinds, maxTasksPerCall: 5));
    }

    [Fact]
    public void A_matrix_is_either_arguments_or_objectives_and_languages_and_has_no_empty_axis()
    {
        var mixed = Assert.Throws<RequestValidationException>(() => GridRequestValidator.ThrowIfInvalid(new CreateGridRequest
        {
            Name = "mixed",
            Matrix = new GridMatrix { Args = [["a"]], Objectives = ["x"], Languages = ["go"], Template = new SubmitTaskRequest { Interpreter = "bash", Source = "true" } },
        }, s_kinds, 100));
        Assert.Contains("matrix.args", mixed.Errors.Keys);

        var emptyAxis = Assert.Throws<RequestValidationException>(() => GridRequestValidator.ThrowIfInvalid(new CreateGridRequest
        {
            Name = "empty",
            Matrix = new GridMatrix { Args = [["a"], []], Template = new SubmitTaskRequest { Interpreter = "bash", Source = "true" } },
        }, s_kinds, 100));
        Assert.Equal(["matrix.args[1]"], emptyAxis.Errors.Keys.ToArray());
    }

    [Fact]
    public void A_huge_argument_matrix_is_too_large_before_it_is_expanded()
    {
        var axis = Enumerable.Range(0, 1000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var request = new CreateGridRequest
        {
            Name = "huge",
            Matrix = new GridMatrix { Args = [axis, axis, axis, axis], Template = new SubmitTaskRequest { Interpreter = "bash", Source = "true" } },
        };
        Assert.Throws<RequestTooLargeException>(() => GridRequestValidator.ThrowIfInvalid(request, s_kinds, 10_000));
    }
}
