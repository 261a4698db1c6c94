using TaskGrid.Testing;

namespace TaskGrid.Tests.Integration.Support;

internal static class Processes
{
    /// <summary>Whether a process runs: it exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    public static Task AllGoneAsync(IEnumerable<int> pids)
    {
        var list = pids.ToList();
        return Eventually.HoldsAsync(
            () => Task.FromResult(list.All(pid => !IsRunning(pid))),
            TimeSpan.FromSeconds(30),
            $"processes {string.Join(", ", list)} to be gone (still running: {string.Join(", ", list.Where(IsRunning))})");
    }
}
