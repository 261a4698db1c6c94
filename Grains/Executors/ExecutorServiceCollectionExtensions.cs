using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TaskGrid.Grains.Diagnostics;
using TaskGrid.Grains.Executors.Codegen;
using TaskGrid.Grains.Executors.Script;

namespace TaskGrid.Grains.Executors;

/// <summary>Registers the built-in executors (codegen, script, noop).</summary>
public static class ExecutorServiceCollectionExtensions
{
    /// <summary>Adds the built-in executors and their validated options. Add more with <see cref="AddTaskExecutor{T}"/>.</summary>
    public static IServiceCollection AddTaskGridExecutors(this IServiceCollection services)
    {
        services.AddOptions<OpenAiOptions>().BindConfiguration(OpenAiOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<OpenAiOptions>, OpenAiOptionsSetup>();
        services.AddSingleton<IValidateOptions<OpenAiOptions>, OpenAiOptionsValidator>();
        services.AddOptions<ScriptOptions>().BindConfiguration(ScriptOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ScriptOptions>, ScriptOptionsValidator>();

        services.TryAddSingleton<TaskGridMetrics>();
        services.AddTaskExecutor<CodegenExecutor>();
        services.AddTaskExecutor<ScriptExecutor>();
        services.AddTaskExecutor<NoopExecutor>();
        services.TryAddSingleton<ExecutorRegistry>();
        return services;
    }

    /// <summary>Adds an executor for a new task kind.</summary>
    public static IServiceCollection AddTaskExecutor<T>(this IServiceCollection services) where T : class, ITaskExecutor
    {
        services.AddSingleton<ITaskExecutor, T>();
        return services;
    }
}
