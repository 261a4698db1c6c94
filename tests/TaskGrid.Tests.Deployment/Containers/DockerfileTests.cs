using System.Xml.Linq;
using TaskGrid.Testing;
using TaskGrid.Tests.Deployment.Support;

namespace TaskGrid.Tests.Deployment.Containers;

/// <summary>
/// The images, checked without a Docker engine: multi-stage on the official .NET images, only
/// the published output in the final stage, a non-root user, and a build stage that copies
/// every project the process references (a new ProjectReference must not break the image).
/// </summary>
public sealed class DockerfileTests
{
    public static TheoryData<string> Processes => ["Silo", "Gateway"];

    /// <summary>The runtime image and entry point of each process: the silo ships self-contained (its own runtime, started by its apphost), the gateway on the shared ASP.NET Core runtime.</summary>
    public static TheoryData<string, string, string> Runtimes => new()
    {
        { "Silo", "mcr.microsoft.com/dotnet/runtime-deps:10.0", "[\"./TaskGrid.Silo\"]" },
        { "Gateway", "mcr.microsoft.com/dotnet/aspnet:10.0", "[\"dotnet\", \"TaskGrid.Gateway.dll\"]" },
    };

    [Theory]
    [MemberData(nameof(Runtimes))]
    public void The_image_is_built_on_the_sdk_and_runs_on_its_runtime_image(string process, string runtimeImage, string entryPoint)
    {
        var dockerfile = Load(process);

        Assert.True(dockerfile.Stages.Count >= 2, "The Dockerfile should be multi-stage.");
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", dockerfile.Stages[0].Image);
        Assert.Equal(runtimeImage, dockerfile.Final.Image);
        Assert.Equal(entryPoint, Assert.Single(dockerfile.Final.Named("ENTRYPOINT")).Arguments);
        Assert.Contains(dockerfile.Stages[0].Named("RUN"), run => run.Arguments.Contains($"dotnet publish {process}/TaskGrid.{process}.csproj", StringComparison.Ordinal));
    }

    [Fact]
    public void The_silo_image_is_published_as_the_benchmark_and_taskgrid_up_run_it()
    {
        var publish = Assert.Single(Load("Silo").Stages[0].Named("RUN"), run => run.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Arguments;

        Assert.Contains("--self-contained true", publish, StringComparison.Ordinal);
        Assert.Contains("-p:PublishReadyToRun=true", publish, StringComparison.Ordinal);
        Assert.Contains("-p:PublishReadyToRunComposite=true", publish, StringComparison.Ordinal);
        var script = SiloPublishOptionsOfTheScripts();
        Assert.Contains("--self-contained true", script, StringComparison.Ordinal);
        Assert.Contains("-p:PublishReadyToRunComposite=true", script, StringComparison.Ordinal);
        foreach (var option in script.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(o => o.StartsWith('-')))
        {
            Assert.Contains(option, publish, StringComparison.Ordinal);
        }
    }

    // The options ./taskgrid up and ./taskgrid bench publish the silo with: TG_SILO_PUBLISH=(...) in scripts/common.sh.
    private static string SiloPublishOptionsOfTheScripts()
    {
        const string Assignment = "TG_SILO_PUBLISH=(";
        var line = Assert.Single(File.ReadAllLines(Path.Combine(TestEnvironment.RepositoryRoot, "scripts", "common.sh")), l => l.StartsWith(Assignment, StringComparison.Ordinal));
        return line[Assignment.Length..line.LastIndexOf(')')];
    }

    [Theory]
    [MemberData(nameof(Processes))]
    public void The_final_stage_holds_only_the_published_output_and_runs_as_a_non_root_user(string process)
    {
        var dockerfile = Load(process);
        var build = dockerfile.Stages[0].Alias;

        var copies = dockerfile.Final.Named("COPY").Concat(dockerfile.Final.Named("ADD")).ToList();
        var copy = Assert.Single(copies);
        Assert.StartsWith($"--from={build} /app", copy.Arguments, StringComparison.Ordinal);
        var user = Assert.Single(dockerfile.Final.Named("USER")).Arguments;
        Assert.DoesNotContain(user.Split(':')[0], new[] { "root", "0" });
    }

    [Fact]
    public void The_silo_image_has_the_script_interpreters()
    {
        var install = string.Join(' ', Load("Silo").Final.Named("RUN").Select(r => r.Arguments));

        Assert.Contains("python3", install, StringComparison.Ordinal);
        Assert.Contains("nodejs", install, StringComparison.Ordinal);
    }

    [Fact]
    public void The_silo_image_has_the_script_sandbox_tools()
    {
        var install = string.Join(' ', Load("Silo").Final.Named("RUN").Select(r => r.Arguments));

        Assert.Contains("util-linux", install, StringComparison.Ordinal);
        Assert.Contains(" tar", install, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Processes))]
    public void The_build_stage_copies_every_project_the_process_references(string process)
    {
        var copied = Load(process).Stages[0].Named("COPY").Select(c => c.Arguments.Split(' ')[0].TrimEnd('/')).ToHashSet();

        foreach (var project in ProjectClosure(Path.Combine(TestEnvironment.RepositoryRoot, process, $"TaskGrid.{process}.csproj")))
        {
            var folder = Path.GetRelativePath(TestEnvironment.RepositoryRoot, Path.GetDirectoryName(project)!);
            Assert.True(copied.Contains(folder), $"{process}/Dockerfile does not copy {folder}/, which {process} references.");
            Assert.Contains($"{folder}/{Path.GetFileName(project)}", copied);
        }
    }

    [Fact]
    public void The_build_context_leaves_out_build_output_local_state_and_git()
    {
        var ignored = File.ReadAllLines(Path.Combine(TestEnvironment.RepositoryRoot, ".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();

        Assert.Superset(new HashSet<string> { "**/bin/", "**/obj/", ".git/", ".taskgrid/" }, ignored);
    }

    private static Dockerfile Load(string process) => Dockerfile.Load(Path.Combine(TestEnvironment.RepositoryRoot, process, "Dockerfile"));

    private static HashSet<string> ProjectClosure(string project)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var current))
        {
            if (!found.Add(current))
            {
                continue;
            }
            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
            {
                var relative = reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar);
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, relative)));
            }
        }
        return found;
    }
}
