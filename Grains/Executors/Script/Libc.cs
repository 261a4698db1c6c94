using System.Runtime.InteropServices;

namespace TaskGrid.Grains.Executors.Script;

/// <summary>The few POSIX calls .NET has no API for.</summary>
internal static partial class Libc
{
    public const int SigKill = 9;

    /// <summary>chown(2): hands a scratch directory to the uid that runs the script.</summary>
    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Chown(string path, uint owner, uint group);

    /// <summary>kill(2); a negative pid signals a whole process group.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
