using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaskGrid.Access;
using TaskGrid.Errors;
using TaskGrid.Grains.Tasks;
using TaskGrid.Tasks;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Integration.Tasks;

public sealed class TaskKindsConfigurationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public void Without_configuration_every_built_in_kind_is_accepted()
    {
        using var services = database.CreateServices();
        Assert.Equal([TaskKinds.Codegen, TaskKinds.Script, TaskKinds.Noop], services.GetRequiredService<IOptions<TaskOptions>>().Value.Kinds);
    }

    [Fact]
    public async Task Configured_kinds_replace_the_defaults()
    {
        await using var services = database.CreateServices(settings: new Dictionary<string, string?> { ["TaskGrid:Tasks:Kinds:0"] = TaskKinds.Noop });
        Assert.Equal([TaskKinds.Noop], services.GetRequiredService<IOptions<TaskOptions>>().Value.Kinds);

        var grains = services.GetRequiredService<IGrainFactory>();
        var refused = await Assert.ThrowsAsync<RequestValidationException>(() =>
            grains.Task(Guid.CreateVersion7()).SubmitAsync(Caller.System, new SubmitTaskRequest { Objective = "x", Language = "go" }));
        Assert.Equal(["kind"], refused.Errors.Keys);
        Assert.Equal(TaskState.Pending, (await grains.Task(Guid.CreateVersion7()).SubmitAsync(Caller.System, new SubmitTaskRequest { Kind = TaskKinds.Noop })).Status);
    }
}
