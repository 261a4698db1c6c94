using System.Security.Cryptography;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Deployment.Support;

/// <summary>
/// Runs k8s/validate/validate.mjs, the offline schema check. Its npm packages (the Kubernetes
/// and CRD schemas, the TypeScript compiler) are installed from the pinned lock file into
/// .taskgrid/k8s-validate the first time, and again only when the lock file changes; after
/// that the check needs no network at all.
/// </summary>
public static class ManifestValidator
{
    private const string NodeHint = "Install Node.js 20 or newer with npm (apt-get install nodejs npm) and put node and npm on PATH.";
    private static readonly SemaphoreSlim s_install = new(1, 1);

    public static string SourceDirectory => Path.Combine(TestEnvironment.RepositoryRoot, "k8s", "validate");

    public static string CacheDirectory => Path.Combine(TestEnvironment.RepositoryRoot, ".taskgrid", "k8s-validate");

    public static async Task<ToolResult> ValidateAsync(params string[] files)
    {
        await EnsureInstalledAsync();
        string[] args = [Path.Combine(CacheDirectory, "validate.mjs"), .. files];
        return await ExternalTool.RunAsync("node", args, CacheDirectory, TimeSpan.FromMinutes(3), NodeHint);
    }

    private static async Task EnsureInstalledAsync()
    {
        await s_install.WaitAsync();
        try
        {
            Directory.CreateDirectory(CacheDirectory);
            // The script and schemas are copied every time: they change with the repository.
            foreach (var file in Directory.GetFiles(SourceDirectory, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(CacheDirectory, Path.GetRelativePath(SourceDirectory, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true);
            }
            var stamp = Path.Combine(CacheDirectory, "node_modules", ".taskgrid-lock-sha256");
            var wanted = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(SourceDirectory, "package-lock.json"))));
            if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp) == wanted)
            {
                return;
            }
            string[] args = ["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"];
            var result = await ExternalTool.RunAsync("npm", args, CacheDirectory, TimeSpan.FromMinutes(5), NodeHint);
            if (result.ExitCode != 0)
            {
                throw new Xunit.Sdk.XunitException(
                    "Could not install the schema packages from the npm registry (needed once, then cached in .taskgrid/k8s-validate). " +
                    ExternalTool.Describe("npm", args, result));
            }
            await File.WriteAllTextAsync(stamp, wanted);
        }
        finally
        {
            s_install.Release();
        }
    }
}
