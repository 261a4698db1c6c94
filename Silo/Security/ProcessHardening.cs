using System.Runtime.InteropServices;

namespace TaskGrid.Silo.Security;

/// <summary>
/// Keeps scripts away from the silo's secrets. A silo that is not root (as under Kubernetes)
/// runs scripts as its own user, and a process may normally read <c>/proc/&lt;pid&gt;/environ</c>
/// and <c>/proc/&lt;pid&gt;/mem</c> of any process of its user: a script could read the database
/// password and the OpenAI key out of the silo. A non-dumpable process's <c>/proc</c> entries
/// belong to root and it cannot be ptraced, so the same script is refused. (Child processes are
/// dumpable again after exec; only the silo itself is protected, which is the point.)
/// </summary>
internal static partial class ProcessHardening
{
    private const int PrSetDumpable = 4;
    private const int PrGetDumpable = 3;

    /// <summary>Marks this process non-dumpable (Linux); throws if the kernel refuses.</summary>
    public static void MakeNonDumpable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        if (Prctl(PrSetDumpable, 0, 0, 0, 0) != 0 || Prctl(PrGetDumpable, 0, 0, 0, 0) != 0)
        {
            throw new InvalidOperationException(
                $"Could not make the silo non-dumpable (prctl PR_SET_DUMPABLE failed with errno {Marshal.GetLastPInvokeError()}); scripts could read its environment.");
        }
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
