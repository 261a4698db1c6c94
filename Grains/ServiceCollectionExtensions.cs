using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TaskGrid.Grains.Access;
using TaskGrid.Grains.Artifacts;
using TaskGrid.Grains.Cluster;
using TaskGrid.Grains.Diagnostics;
using TaskGrid.Grains.Logs;
using TaskGrid.Grains.Observability;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Retention;
using TaskGrid.Grains.Tasks;

namespace TaskGrid.Grains;

/// <summary>Registers the grains and their PostgreSQL plumbing.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grain factory, the data source, migrations, membership, maintenance, the
    /// artifact store, log followers and retention, with options bound and validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="applicationName">Shown as <c>application_name</c> in <c>pg_stat_activity</c>.</param>
    public static IServiceCollection AddTaskGridGrains(this IServiceCollection services, string applicationName)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<DatabaseOptions>, DatabaseOptionsSetup>();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddOptions<TaskOptions>().BindConfiguration(TaskOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<TaskOptions>, TaskOptionsSetup>();
        services.AddSingleton<IValidateOptions<TaskOptions>, TaskOptionsValidator>();
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>();
        services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ObservabilityOptions>, ObservabilityOptionsValidator>();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddOptions<ArtifactOptions>().BindConfiguration(ArtifactOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ArtifactOptions>, ArtifactOptionsValidator>();
        services.AddOptions<PostgresArtifactStoreOptions>().BindConfiguration(PostgresArtifactStoreOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PostgresArtifactStoreOptions>, PostgresArtifactStoreOptionsValidator>();
        services.AddOptions<TaskLogOptions>().BindConfiguration(TaskLogOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TaskLogOptions>, TaskLogOptionsValidator>();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new DbClock(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => DataSourceFactory.Create(
            sp.GetRequiredService<IOptions<DatabaseOptions>>(), sp.GetRequiredService<ILoggerFactory>(), applicationName));
        services.AddSingleton<GrainTurns>();
        services.AddSingleton<MigrationRunner>();
        // Registered first among the grains' hosted services so that the schema exists before
        // anything else starts.
        services.AddHostedService<MigrationHostedService>();
        services.AddSingleton(sp => new ApiKeyAuthenticator(
            sp.GetRequiredService<GrainTurns>(), sp.GetRequiredService<DbClock>(), sp.GetRequiredService<IOptions<AuthOptions>>()));
        services.AddHostedService<BootstrapAdminService>();
        // More stores (an S3-compatible one) are added the same way and chosen by TaskGrid:Artifacts:Store.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IArtifactStore, PostgresArtifactStore>());
        services.AddSingleton<ArtifactRepository>();
        services.AddSingleton<TaskLogSignals>();
        services.AddSingleton<GrainServices>();
        services.AddSingleton<IGrainFactory, GrainFactory>();
        services.AddSingleton(sp => new MembershipTable(sp.GetRequiredService<GrainTurns>(), sp.GetRequiredService<DbClock>()));
        services.AddSingleton(sp => new ClusterMaintenance(
            sp.GetRequiredService<GrainTurns>(), sp.GetRequiredService<DbClock>(), sp.GetRequiredService<IOptions<ClusterOptions>>(),
            sp.GetRequiredService<IOptions<ObservabilityOptions>>()));
        services.AddSingleton(sp => new ClusterRetention(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<DbClock>(), sp.GetRequiredService<ArtifactRepository>(),
            sp.GetRequiredService<IOptions<RetentionOptions>>(), sp.GetRequiredService<IOptions<ArtifactOptions>>()));
        services.AddSingleton(sp => new MetricsTable(sp.GetRequiredService<GrainTurns>(), sp.GetRequiredService<DbClock>()));
        // Built on first use; the hosts resolve it at start-up so that it hears every measurement.
        services.AddSingleton(sp => new MetricsCollector(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        return services;
    }

    /// <summary>The process's data source, for services that need their own long-lived connection (LISTEN).</summary>
    public static NpgsqlDataSource GetTaskGridDataSource(this IServiceProvider services) => services.GetRequiredService<NpgsqlDataSource>();
}
