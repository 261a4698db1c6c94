using Microsoft.Extensions.Options;
using TaskGrid.Grains;
using TaskGrid.Grains.Executors;
using TaskGrid.Silo.Diagnostics;
using TaskGrid.Silo.Maintenance;
using TaskGrid.Silo.Membership;
using TaskGrid.Silo.Workers;

namespace TaskGrid.Silo;

/// <summary>Wires a silo: grains, executors, membership, maintenance, retention, notifications and workers.</summary>
internal static class SiloServiceCollectionExtensions
{
    public static WebApplicationBuilder AddSilo(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SiloOptions>().BindConfiguration(SiloOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<SiloOptions>, SiloOptionsSetup>();
        services.AddSingleton<IValidateOptions<SiloOptions>, SiloOptionsValidator>();
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();

        // The silo's name in pg_stat_activity lets an operator (or a chaos test) tell its
        // connections from another silo's.
        var siloName = builder.Configuration[$"{SiloOptions.SectionName}:{nameof(SiloOptions.Name)}"];
        services.AddTaskGridGrains(string.IsNullOrWhiteSpace(siloName) ? "taskgrid-silo" : $"taskgrid-silo {siloName}");
        services.AddTaskGridExecutors();
        services.AddSingleton<SiloContext>();
        services.AddSingleton<InFlightTasks>();
        services.AddSingleton<WorkSignals>();

        // Started in this order and stopped in reverse: the workers drain first, the task log
        // writer (registered with the executors) stores their last lines, the metrics publisher
        // writes their last counts, and the silo leaves the membership table last.
        services.AddSingleton<MembershipService>();
        services.AddHostedService(sp => sp.GetRequiredService<MembershipService>());
        services.AddHostedService<MetricsPublisher>();
        services.AddHostedService<TaskNotificationListener>();
        services.AddHostedService<MaintenanceService>();
        services.AddHostedService<RetentionService>();
        services.AddHostedService<WorkerPool>();

        var grace = builder.Configuration.GetValue($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.ShutdownGracePeriod)}", new WorkerOptions().ShutdownGracePeriod);
        services.Configure<HostOptions>(host => host.ShutdownTimeout = grace + TimeSpan.FromSeconds(15));

        var healthPort = builder.Configuration.GetValue($"{SiloOptions.SectionName}:{nameof(SiloOptions.HealthPort)}", 0);
        builder.WebHost.UseUrls(healthPort > 0 ? $"http://0.0.0.0:{healthPort}" : "http://127.0.0.1:0");
        return builder;
    }
}
