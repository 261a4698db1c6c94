using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TaskGrid.Grains.Diagnostics;
using TaskGrid.Grains.Executors.Codegen;
using TaskGrid.Grains.Executors.Script;
using TaskGrid.Grains.Logs;

namespace TaskGrid.Grains.Executors;

/// <summary>Registers the built-in executors (codegen, script, noop).</summary>
public static class ExecutorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the built-in executors, their validated options, and the silo's task log writer (a
    /// hosted service: register this before the workers, so that it stops after them and stores
    /// their last lines). Add more executors with <see cref="AddTaskExecutor{T}"/>.
    /// </summary>
    public static IServiceCollection AddTaskGridExecutors(this IServiceCollection services)
    {
        services.AddOptions<OpenAiOptions>().BindConfiguration(OpenAiOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<OpenAiOptions>, OpenAiOptionsSetup>();
        services.AddSingleton<IValidateOptions<OpenAiOptions>, OpenAiOptionsValidator>();
        services.AddOptions<ScriptOptions>().BindConfiguration(ScriptOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ScriptOptions>, ScriptOptionsValidator>();

        services.TryAddSingleton<TaskGridMetrics>();
        services.TryAddSingleton<TaskLogWriter>();
        services.TryAddSingleton<ITaskLog>(sp => sp.GetRequiredService<TaskLogWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<TaskLogWriter>());
        services.TryAddSingleton<ScriptSandbox>();
        services.TryAddSingleton<OutputFiles>();
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
