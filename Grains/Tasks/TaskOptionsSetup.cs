using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace TaskGrid.Grains.Tasks;

/// <summary>
/// Makes configured <see cref="TaskOptions.Kinds"/> replace the defaults: the configuration binder
/// appends to a list that already has items, so <c>Kinds:0 = noop</c> alone would still accept
/// codegen and script.
/// </summary>
internal sealed class TaskOptionsSetup(IConfiguration configuration) : IPostConfigureOptions<TaskOptions>
{
    public void PostConfigure(string? name, TaskOptions options)
    {
        if (configuration.GetSection($"{TaskOptions.SectionName}:{nameof(TaskOptions.Kinds)}").Get<string[]>() is { Length: > 0 } configured)
        {
            options.Kinds.Clear();
            foreach (var kind in configured)
            {
                options.Kinds.Add(kind);
            }
        }
    }
}
