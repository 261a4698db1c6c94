namespace TaskGrid.Tests.Integration.Support;

/// <summary>
/// A temporary directory anyone may write to (mode 1777, like /tmp). Scripts of a root silo
/// run as a uid of their own, so a directory tests share with them must let that uid in;
/// <see cref="Directory.CreateTempSubdirectory(string?)"/> makes one only its creator may enter.
/// </summary>
internal static class SharedDirectory
{
    public static string Create(string prefix)
    {
        var path = Directory.CreateTempSubdirectory(prefix).FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.StickyBit
                | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        }
        return path;
    }
}
